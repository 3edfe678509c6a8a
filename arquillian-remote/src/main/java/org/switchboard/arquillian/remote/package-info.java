/**
 * The Arquillian adapter's remote mode: {@link org.switchboard.arquillian.remote.RemoteSwitchboardContainer} deploys
 * ShrinkWrap archives to a running {@code ./switchboard run} through its token-protected admin API, configured by
 * {@link org.switchboard.arquillian.remote.RemoteConfiguration}. On a test class path it replaces the embedded
 * container; the {@code @ArquillianResource}s ({@code SipAddress}, test-kit phones, {@code Phones}) are the same,
 * {@code @Inject} of the deployment's beans is refused (they run in another JVM).
 */
package org.switchboard.arquillian.remote;
