package org.switchboard.arquillian;

import java.util.ArrayList;
import java.util.List;
import org.switchboard.testkit.SipPhone;

/** The {@link Phones} of one container: phones on its transport, kept until the test that made them ends. */
final class PhoneFactory implements Phones {

    private final SipAddress container;
    private final List<SipPhone> made = new ArrayList<>(); // guarded by this

    PhoneFactory(SipAddress container) {
        this.container = container;
    }

    @Override
    public SipPhone phone(String user) {
        return phone(SipPhone.builder().user(user));
    }

    @Override
    public SipPhone phone(SipPhone.Builder builder) {
        SipPhone phone = builder.transport(container.transport()).build();
        synchronized (this) {
            made.add(phone);
        }
        return phone;
    }

    /** Closes every phone made so far (after each test method, and when the container stops). */
    void closeAll() {
        List<SipPhone> phones;
        synchronized (this) {
            phones = List.copyOf(made);
            made.clear();
        }
        phones.forEach(SipPhone::close);
    }
}
