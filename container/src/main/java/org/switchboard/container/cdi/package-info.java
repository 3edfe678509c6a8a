/**
 * The container's side of each application's Weld container: the portable extension that gives the
 * application its {@code Srf} and records which requests and events it observes.
 */
package org.switchboard.container.cdi;
