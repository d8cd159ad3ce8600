package dev.lathe.records;

import dev.lathe.measure.MeasureInput;
import dev.lathe.measure.MeasureResult;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Appends records to a records file, one JSON line each, and forces every line to disk before
 * {@link #write} returns: a record that was written survives the process being killed. Lines
 * already in the file are never rewritten. If the file ends in a partial line (a writer killed
 * mid-line), a line break is appended first so that the partial line stays alone and is skipped
 * as truncated when read. Thread-safe; one line is one {@code write} call in append mode, so
 * lines from threads (and from processes appending to the same file) are not interleaved.
 */
public final class RecordWriter implements AutoCloseable {
    private final Path path;
    private final FileChannel channel;
    private int written;

    private RecordWriter(Path path, FileChannel channel) {
        this.path = path;
        this.channel = channel;
    }

    /** Opens {@code path} for appending, creating it (and its directory) if needed. */
    public static RecordWriter open(Path path) {
        try {
            Path dir = path.toAbsolutePath().getParent();
            if (dir != null) {
                Files.createDirectories(dir);
            }
            FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND);
            RecordWriter w = new RecordWriter(path, ch);
            w.terminatePartialLine();
            return w;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open records file " + path + ": " + e.getMessage(), e);
        }
    }

    private void terminatePartialLine() throws IOException {
        long size = channel.size();
        if (size == 0) {
            return;
        }
        ByteBuffer last = ByteBuffer.allocate(1);
        try (FileChannel r = FileChannel.open(path, StandardOpenOption.READ)) {
            r.read(last, size - 1);
        }
        if (last.get(0) != '\n') {
            append(ByteBuffer.wrap(new byte[] {'\n'}));
        }
    }

    /** Appends one record and forces it to disk. */
    public synchronized void write(MeasureRecord record) {
        byte[] line = (record.toJson() + "\n").getBytes(StandardCharsets.UTF_8);
        if (line.length > RecordFormat.MAX_LINE_BYTES) {
            throw new IllegalArgumentException("record of " + line.length + " bytes is longer than the "
                    + RecordFormat.MAX_LINE_BYTES + " a reader accepts");
        }
        try {
            append(ByteBuffer.wrap(line));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to records file " + path + ": " + e.getMessage(), e);
        }
        written++;
    }

    /** Appends the record of one measurement; returns it. */
    public MeasureRecord write(MeasureInput input, MeasureResult result) {
        MeasureRecord r = MeasureRecord.of(input, result);
        write(r);
        return r;
    }

    /** Appends the records of a batch, in order, each forced to disk as it is written. */
    public List<MeasureRecord> writeAll(List<MeasureInput> inputs, List<MeasureResult> results) {
        if (inputs.size() != results.size()) {
            throw new IllegalArgumentException(inputs.size() + " inputs but " + results.size() + " results");
        }
        List<MeasureRecord> out = new java.util.ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            out.add(write(inputs.get(i), results.get(i)));
        }
        return out;
    }

    private void append(ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            channel.write(buf);
        }
        channel.force(false);
    }

    /** Records written through this writer. */
    public synchronized int written() {
        return written;
    }

    public Path path() {
        return path;
    }

    @Override
    public synchronized void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
