/**
 * The Netty leak gate: every test class that has this module on its class path fails when Netty's
 * leak detector reports a buffer that was never released.
 */
package org.switchboard.testing.leak;
