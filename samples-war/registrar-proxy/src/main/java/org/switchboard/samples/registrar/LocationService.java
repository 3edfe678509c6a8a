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

    /** The live bindings of {@code user}, sorted by contact. */
    List<Binding> bindings(String user);

    /** The live contacts of {@code user}, sorted. */
    default List<String> lookup(String user) {
        return bindings(user).stream().map(Binding::contact).toList();
    }

    /**
     * A contact bound to a user and the whole seconds it has left (rounded up, so at least 1 while it lives): what a
     * registrar's 200 lists for each binding, as its {@code expires} parameter (RFC 3261).
     */
    record Binding(String contact, int expiresIn) {
    }
}
