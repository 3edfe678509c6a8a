/** Runs sipp (Debian's sip-tester) as a real SIP peer from tests, bounded in time, and reads its verdict. */
package org.switchboard.testing.sipp;
