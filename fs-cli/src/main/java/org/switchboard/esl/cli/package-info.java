/** {@code ./switchboard fs-cli}: an event socket console in the manner of FreeSWITCH's fs_cli. */
package org.switchboard.esl.cli;
