/** Bounded waiting for asynchronous state in tests. */
package org.switchboard.testing.poll;
