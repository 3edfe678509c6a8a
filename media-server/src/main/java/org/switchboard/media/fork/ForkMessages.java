package org.switchboard.media.fork;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.media.audio.Audio;
import org.switchboard.media.audio.Wav;
import org.switchboard.media.core.Channel;

/**
 * The text messages a fork's server sends, as mod_audio_fork reads them: JSON objects with a {@code type} and
 * usually a {@code data} object. {@code playAudio} (base64 {@code audioContent}, {@code audioContentType} {@code raw}
 * with a {@code sampleRate}, or {@code wave}) is written to a file, and the {@code play_audio} event carries its data
 * with the content replaced by the file's path, for the controller to play; {@code killAudio} stops what the channel
 * plays (and the streamed audio not yet played); {@code transcription}, {@code transfer}, {@code disconnect} and
 * {@code error} become events carrying their data, {@code json} an event carrying the whole message. The files are
 * deleted when the fork ends.
 */
final class ForkMessages {

    private static final Logger LOG = LoggerFactory.getLogger(ForkMessages.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Channel channel;
    private final Path folder;
    private final StreamedAudio streamed;
    private final List<Path> files = new CopyOnWriteArrayList<>();

    ForkMessages(Channel channel, Path folder, StreamedAudio streamed) {
        this.channel = channel;
        this.folder = folder;
        this.streamed = streamed;
    }

    void fire(String subclass, String body) {
        ForkEvents.fire(channel, subclass, body);
    }

    /** One text message (event loop). */
    void handle(String text) {
        JsonNode message;
        try {
            message = JSON.readTree(text);
        } catch (IOException e) {
            LOG.debug("MS-FORK-003 {}: a fork's server sent text that is not JSON", channel.uuid());
            return;
        }
        String type = message.path("type").asText("");
        JsonNode data = message.get("data");
        switch (type) {
            case "playAudio" -> playAudio(data);
            case "killAudio" -> {
                fire(ForkEvents.KILL_AUDIO, null);
                streamed.clear();
                channel.requestBreak();
            }
            case "transcription" -> fire(ForkEvents.TRANSCRIPTION, String.valueOf(data));
            case "transfer" -> fire(ForkEvents.TRANSFER, String.valueOf(data));
            case "disconnect" -> fire(ForkEvents.DISCONNECT, String.valueOf(data));
            case "error" -> fire(ForkEvents.ERROR, String.valueOf(data));
            case "json" -> fire(ForkEvents.JSON, message.toString());
            default -> LOG.debug("MS-FORK-004 {}: a fork's server sent an unsupported message type '{}'", channel.uuid(),
                    type);
        }
    }

    private void playAudio(JsonNode data) {
        if (!(data instanceof ObjectNode object)) {
            LOG.debug("MS-FORK-005 {}: a playAudio without data", channel.uuid());
            return;
        }
        JsonNode content = object.remove("audioContent");
        String contentType = object.path("audioContentType").asText("");
        try {
            if (content != null && content.isTextual()) {
                byte[] bytes = Base64.getMimeDecoder().decode(content.asText());
                Path file = switch (contentType) {
                    case "raw" -> raw(bytes, object.path("sampleRate").asInt(16000));
                    case "wave", "wav", ".wave" -> write(bytes);
                    default -> null;
                };
                if (file != null) {
                    object.put("file", file.toString());
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            LOG.info("MS-FORK-006 {}: a playAudio could not be written: {}", channel.uuid(), e.toString());
        }
        fire(ForkEvents.PLAY_AUDIO, object.toString());
    }

    private Path raw(byte[] bytes, int rate) throws IOException {
        short[] samples = new short[bytes.length / 2];
        for (int i = 0; i < samples.length; i++) {
            samples[i] = (short) ((bytes[2 * i] & 0xff) | bytes[2 * i + 1] << 8);
        }
        Path file = newFile();
        Wav.write(file, Audio.of(rate, 1, samples));
        return file;
    }

    private Path write(byte[] wav) throws IOException {
        Path file = newFile();
        Files.write(file, wav);
        return file;
    }

    private Path newFile() throws IOException {
        Files.createDirectories(folder);
        Path file = Files.createTempFile(folder, channel.uuid() + "_", ".tmp.wav");
        files.add(file);
        return file;
    }

    /** Deletes the files written for playAudio. */
    void deleteFiles() {
        for (Path f : files) {
            try {
                Files.deleteIfExists(f);
            } catch (IOException e) {
                LOG.debug("deleting {}", f, e);
            }
        }
        files.clear();
    }

    /** {@code s} as the inside of a JSON string. */
    static String jsonEscape(String s) {
        try {
            String quoted = JSON.writeValueAsString(s);
            return quoted.substring(1, quoted.length() - 1);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
