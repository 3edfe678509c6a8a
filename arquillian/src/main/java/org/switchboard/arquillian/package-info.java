/**
 * The Arquillian adapter: an embedded container ({@code SwitchboardContainer}) that boots the Switchboard container
 * in the test JVM on free ports and deploys ShrinkWrap archives through its deployer; {@code @ArquillianResource}
 * gives a test the container's {@link org.switchboard.arquillian.SipAddress}, test-kit phones and a
 * {@link org.switchboard.arquillian.Phones} factory; {@code @Inject} reaches the deployment's beans.
 */
package org.switchboard.arquillian;
