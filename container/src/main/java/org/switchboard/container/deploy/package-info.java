/**
 * Deployment of application archives: the {@link org.switchboard.container.deploy.Deployer} watches the
 * deployments folder, unpacks each WAR or JAR with its own class loader into its own Weld SE container, routes
 * new requests to applications by their {@link org.switchboard.container.deploy.RoutingRule}s, and drains the
 * old version of a redeployed application.
 */
package org.switchboard.container.deploy;
