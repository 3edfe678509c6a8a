package org.switchboard.drachtio.server;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/**
 * The part of drachtio-server's XML configuration file ({@code drachtio.conf.xml}) that {@code sip-server --file}
 * reads: {@code <admin port tls-port secret>address</admin>}, {@code <sip><contacts><contact>} (or the older single
 * {@code <sip><contact>}), {@code <sip><tls>} with {@code key-file}, {@code cert-file}, {@code chain-file},
 * {@code dh-param} and {@code min-tls-version}, {@code <sip><udp-mtu>}, {@code <sip><outbound-proxy>} and
 * {@code <sip><reject-register-with-no-realm>} and {@code <sip><spammers>}. docs/drachtio.md lists what else the file holds and is not read.
 * Flags given on the command line win over the file.
 */
record ConfigFile(Optional<String> adminAddress, OptionalInt adminPort, OptionalInt adminTlsPort, Optional<String> secret,
                  List<String> contacts, Optional<String> keyFile, Optional<String> certFile, Optional<String> chainFile,
                  Optional<String> dhParam, Optional<String> minTlsVersion, OptionalInt mtu,
                  Optional<String> outboundProxy, boolean rejectRegisterWithNoRealm, SpammerRules spammers) {

    /** A file that sets nothing, for when no file is given. */
    static final ConfigFile NONE = new ConfigFile(Optional.empty(), OptionalInt.empty(), OptionalInt.empty(),
            Optional.empty(), List.of(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty(), OptionalInt.empty(), Optional.empty(), false, SpammerRules.NONE);

    /**
     * Reads {@code file}.
     *
     * @throws IllegalArgumentException naming the file and what is wrong with it
     */
    static ConfigFile read(Path file) {
        Element root;
        try (InputStream in = Files.newInputStream(file)) {
            root = parser().parse(in).getDocumentElement();
        } catch (IOException | SAXException | ParserConfigurationException e) {
            throw new IllegalArgumentException("cannot read the configuration file " + file + ": " + e.getMessage(), e);
        }
        if (!root.getTagName().equals("drachtio")) {
            throw new IllegalArgumentException(file + ": the root element must be <drachtio>, was <" + root.getTagName() + ">");
        }
        Optional<Element> admin = child(root, "admin");
        Optional<Element> sip = child(root, "sip");
        Optional<Element> tls = sip.flatMap(s -> child(s, "tls"));
        List<String> contacts = new ArrayList<>();
        sip.flatMap(s -> child(s, "contact")).map(ConfigFile::text).ifPresent(contacts::add);
        sip.flatMap(s -> child(s, "contacts")).ifPresent(list -> children(list, "contact").forEach(c -> contacts.add(text(c))));
        return new ConfigFile(admin.map(ConfigFile::text).filter(a -> !a.isEmpty()),
                admin.isPresent() && number(file, admin, "port").isEmpty() // drachtio-server's default
                        ? OptionalInt.of(DrachtioServerConfig.DEFAULT_ADMIN_PORT) : number(file, admin, "port"),
                number(file, admin, "tls-port"),
                admin.map(a -> a.getAttribute("secret")).filter(s -> !s.isEmpty()),
                List.copyOf(contacts),
                text(tls, "key-file"), text(tls, "cert-file"), text(tls, "chain-file"), text(tls, "dh-param"),
                text(tls, "min-tls-version"),
                text(sip, "udp-mtu").map(v -> parse(file, "udp-mtu", v)).map(OptionalInt::of).orElse(OptionalInt.empty()),
                text(sip, "outbound-proxy"),
                text(sip, "reject-register-with-no-realm").map(v -> v.equals("true") || v.equals("yes") || v.equals("1"))
                        .orElse(false),
                sip.flatMap(s -> child(s, "spammers")).map(s -> spammers(file, s)).orElse(SpammerRules.NONE));
    }

    /**
     * {@code <spammers action tcp-action><header name><value>...}: both actions default to {@code discard}, as in
     * drachtio-server; a header without a name or a value without text is skipped as drachtio-server skips it.
     */
    private static SpammerRules spammers(Path file, Element spammers) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        for (Element header : children(spammers, "header")) {
            String name = header.getAttribute("name").strip();
            if (!name.isEmpty()) {
                values.put(name, children(header, "value").stream().map(ConfigFile::text).filter(v -> !v.isEmpty()).toList());
            }
        }
        try {
            return new SpammerRules(values, mode(spammers, "action"), mode(spammers, "tcp-action"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": <spammers>: " + e.getMessage(), e);
        }
    }

    private static RefusalMode mode(Element spammers, String attribute) {
        String value = spammers.getAttribute(attribute);
        return value.isBlank() ? RefusalMode.DISCARD : RefusalMode.of(value);
    }

    // no DTDs or external entities: a configuration file has no need for them
    private static DocumentBuilder parser() throws ParserConfigurationException {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        factory.setExpandEntityReferences(false);
        return factory.newDocumentBuilder();
    }

    private static Optional<Element> child(Element parent, String name) {
        List<Element> found = children(parent, name);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                out.add(e);
            }
        }
        return out;
    }

    private static String text(Element e) {
        return e.getTextContent().strip();
    }

    private static Optional<String> text(Optional<Element> parent, String name) {
        return parent.flatMap(p -> child(p, name)).map(ConfigFile::text).filter(v -> !v.isEmpty());
    }

    private static OptionalInt number(Path file, Optional<Element> element, String attribute) {
        return element.map(e -> e.getAttribute(attribute)).filter(v -> !v.isEmpty())
                .map(v -> OptionalInt.of(parse(file, attribute, v))).orElse(OptionalInt.empty());
    }

    private static int parse(Path file, String name, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(file + ": " + name + " must be a number, was '" + value + "'", e);
        }
    }
}
