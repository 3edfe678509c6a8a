package org.switchboard.drachtio.server;

import java.util.concurrent.CompletableFuture;

/** Opens a connection to an app that listens (outbound mode); completes once the app authenticated. */
interface AppConnector {
    CompletableFuture<AppConnection> connect(String host, int port, boolean tls);
}
