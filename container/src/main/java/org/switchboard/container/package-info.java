/**
 * The container: {@link org.switchboard.container.Container} wires the SIP connection (the embedded
 * drachtio-compatible server by default, or an external drachtio-server in inbound or outbound mode), the
 * deployer and dispatch from a {@link org.switchboard.container.ContainerConfig}; {@link
 * org.switchboard.container.Main} is {@code ./switchboard run}.
 */
package org.switchboard.container;
