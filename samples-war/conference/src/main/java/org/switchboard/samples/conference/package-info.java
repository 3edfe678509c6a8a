/** The conference sample: rooms callers join by calling {@code conf-<room>}, with hold music and mute on {@code *6}. */
package org.switchboard.samples.conference;
