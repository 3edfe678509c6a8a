package org.switchboard.container.admin;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.switchboard.container.deploy.Deployer;
import org.switchboard.container.sip.SipCore;
import org.switchboard.sip.media.MediaServer;

/**
 * What the admin API and the console read and act on.
 *
 * @param sip the calls in progress, their ladders, hanging up
 * @param deployer the deployments, deploying and undeploying
 * @param mediaServers the media servers applications are given, now
 * @param settings the settings in effect, secrets already masked
 */
public record AdminSources(SipCore sip, Deployer deployer, Supplier<List<MediaServer>> mediaServers,
                           Supplier<Map<String, String>> settings) {

    /** Checks that nothing is null. */
    public AdminSources {
        Objects.requireNonNull(sip, "sip");
        Objects.requireNonNull(deployer, "deployer");
        Objects.requireNonNull(mediaServers, "mediaServers");
        Objects.requireNonNull(settings, "settings");
    }
}
