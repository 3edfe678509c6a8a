/**
 * The container's side of each application's Weld container: the portable extension that gives the
 * application its {@code Srf} and the {@code @CallScoped} context, and records which requests and events it
 * observes.
 */
package org.switchboard.container.cdi;
