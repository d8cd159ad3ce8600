package dev.lathe.records;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Reads records files. Every line is parsed strictly ({@link MeasureRecord#fromJson}); lines that
 * are garbage, truncated, too long, of another version, invalid or unsafe are skipped and counted
 * per {@link SkipReason}, never fatal. Blank lines are ignored. A file that does not exist reads
 * as empty. Skipped lines are reported in one warning.
 */
public final class RecordReader {
    private static final Logger LOG = LoggerFactory.getLogger(RecordReader.class);
    private static final int MAX_PROBLEMS = 20;

    private RecordReader() {
    }

    /** The records of a file and what was skipped. */
    public record Result(List<MeasureRecord> records, ReadSummary summary) {
        public Result {
            records = List.copyOf(records);
        }
    }

    /** Reads every good record of {@code path}. */
    public static Result read(Path path) {
        List<MeasureRecord> out = new ArrayList<>();
        ReadSummary s = forEach(path, out::add);
        return new Result(out, s);
    }

    /** Streams the good records of {@code path} to {@code sink}; returns the summary. */
    public static ReadSummary forEach(Path path, Consumer<MeasureRecord> sink) {
        Map<SkipReason, Integer> skipped = new EnumMap<>(SkipReason.class);
        List<String> problems = new ArrayList<>();
        int read = 0;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(path), 1 << 16)) {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int lineNo = 0;
            boolean tooLong = false;
            boolean eof = false;
            while (!eof) {
                int b = in.read();
                if (b != '\n' && b != -1) {
                    if (!tooLong) {
                        line.write(b);
                        if (line.size() > RecordFormat.MAX_LINE_BYTES) {
                            tooLong = true;
                            line.reset();
                        }
                    }
                    continue;
                }
                eof = b == -1;
                if (eof && line.size() == 0 && !tooLong) {
                    break;
                }
                lineNo++;
                try {
                    if (tooLong) {
                        throw new RecordFormatException(SkipReason.TOO_LONG, "line longer than "
                                + RecordFormat.MAX_LINE_BYTES + " bytes");
                    }
                    String text = decode(line.toByteArray());
                    if (!text.isBlank()) {
                        sink.accept(MeasureRecord.fromJson(text));
                        read++;
                    }
                } catch (RecordFormatException e) {
                    skipped.merge(e.reason(), 1, Integer::sum);
                    if (problems.size() < MAX_PROBLEMS) {
                        problems.add("line " + lineNo + ": " + e.reason() + ": " + e.getMessage());
                    }
                }
                line.reset();
                tooLong = false;
            }
        } catch (NoSuchFileException e) {
            return new ReadSummary(0, skipped, problems);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read records file " + path + ": " + e.getMessage(), e);
        }
        ReadSummary s = new ReadSummary(read, skipped, problems);
        if (s.skippedTotal() > 0) {
            LOG.warn("{}: {}; first problems: {}", path, s, problems.subList(0, Math.min(3, problems.size())));
        }
        return s;
    }

    private static String decode(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new RecordFormatException(SkipReason.CORRUPT, "not UTF-8 text");
        }
    }
}
