/**
 * How long-lived parts stop: a graceful phase ({@link org.switchboard.lifecycle.Graceful}) that refuses new
 * work and lets work in flight finish, bounded by a drain timeout, then close.
 */
package org.switchboard.lifecycle;
