package org.switchboard.samples.registrar;

import java.util.List;

/**
 * Where each user can be reached: the contacts registered for an address-of-record (its user name), until they
 * expire. {@link LocationServices} chooses the implementation: in this node's memory, or in a Redis that every node
 * of a cluster shares, so that a REGISTER on one node is found by a call on another (docs/scale-out.md).
 */
public interface LocationService {

    /** Binds {@code contact} to {@code user} for {@code seconds}; 0 removes the binding. */
    void bind(String user, String contact, int seconds);

    /** The live contacts of {@code user}, sorted. */
    List<String> lookup(String user);
}
