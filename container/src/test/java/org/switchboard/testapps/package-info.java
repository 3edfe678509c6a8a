/**
 * Applications the container tests package into archives and deploy. The container's class path holds them
 * too, but an application class loader shows only the API packages, so each deployment loads its own copy.
 * They report what they saw through system properties (a channel only tests use).
 */
package org.switchboard.testapps;
