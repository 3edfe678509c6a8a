package org.switchboard.arquillian;

import java.lang.annotation.Annotation;
import org.jboss.arquillian.core.api.Instance;
import org.jboss.arquillian.core.api.annotation.Inject;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.arquillian.test.spi.enricher.resource.ResourceProvider;
import org.switchboard.testkit.SipPhone;

/** What {@code @ArquillianResource} gives a test of the embedded container: its SIP address, phones, the phone factory. */
final class Resources {

    private Resources() {
    }

    /** {@code @ArquillianResource SipAddress}. */
    static final class Address implements ResourceProvider {

        @Inject
        private Instance<SipAddress> address;

        @Override
        public boolean canProvide(Class<?> type) {
            return type == SipAddress.class;
        }

        @Override
        public Object lookup(ArquillianResource resource, Annotation... qualifiers) {
            return address.get();
        }
    }

    /** {@code @ArquillianResource Phones}: the factory. */
    static final class Factory implements ResourceProvider {

        @Inject
        private Instance<PhoneFactory> phones;

        @Override
        public boolean canProvide(Class<?> type) {
            return type == Phones.class;
        }

        @Override
        public Object lookup(ArquillianResource resource, Annotation... qualifiers) {
            return phones.get();
        }
    }

    /** {@code @ArquillianResource SipPhone}: a new phone (user {@code phone}), closed after the test. */
    static final class Phone implements ResourceProvider {

        @Inject
        private Instance<PhoneFactory> phones;

        @Override
        public boolean canProvide(Class<?> type) {
            return type == SipPhone.class;
        }

        @Override
        public Object lookup(ArquillianResource resource, Annotation... qualifiers) {
            PhoneFactory factory = phones.get();
            return factory == null ? null : factory.phone(SipPhone.Builder.DEFAULT_USER);
        }
    }
}
