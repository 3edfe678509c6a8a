/** The IVR sample: a voice menu on a media server that collects digits and records a message. */
package org.switchboard.samples.ivr;
