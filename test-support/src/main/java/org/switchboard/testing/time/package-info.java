/** Time that tests advance by hand, for timer logic that takes its scheduler as a dependency. */
package org.switchboard.testing.time;
