package org.switchboard.sip.app;

/**
 * The two dialogs of a bridged call: when either ends the application decides about the other (the
 * samples end it too).
 *
 * @param uas the A leg, toward the caller
 * @param uac the B leg, toward the callee
 */
public record B2bua(Dialog uas, Dialog uac) {
}
