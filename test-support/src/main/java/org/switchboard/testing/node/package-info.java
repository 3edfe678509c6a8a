/** Node.js peers for interop tests: a script run from a module's {@code src/test/node}, its output awaited line by line. */
package org.switchboard.testing.node;
