package dev.lathe.records;

import dev.lathe.measure.MeasureResult;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tuning curve: best latency so far (ms) against trials, as a PNG drawn headless with
 * XChart. From a records file it is written next to it, as {@code <records>.png}, with one curve
 * per workload (the {@link #MAX_SERIES} workloads with the most trials), trials counted per
 * workload in file order.
 */
public final class TuningCurve {
    public static final int MAX_SERIES = 8;

    private TuningCurve() {
    }

    /** Writes {@code <records>.png} for a records file; returns its path. */
    public static Path write(Path records) {
        Map<String, List<MeasureResult>> byWorkload = new LinkedHashMap<>();
        RecordReader.forEach(records, r -> byWorkload.computeIfAbsent(r.workloadKey(), k -> new ArrayList<>())
                .add(r.result()));
        Map<String, List<MeasureResult>> series = new LinkedHashMap<>();
        byWorkload.entrySet().stream()
                .sorted((a, b) -> Integer.compare(b.getValue().size(), a.getValue().size()))
                .limit(MAX_SERIES)
                .forEach(e -> series.put(shortKey(e.getKey()), e.getValue()));
        Path png = pngFor(records);
        write(series, png, "Tuning curve: " + records.getFileName());
        return png;
    }

    /** Where the curve of a records file goes: {@code <records>.png}. */
    public static Path pngFor(Path records) {
        return records.resolveSibling(records.getFileName() + ".png");
    }

    /** Writes the curve of one run's results (in trial order) to {@code png}. */
    public static void write(List<MeasureResult> results, Path png, String title) {
        write(Map.of("best", results), png, title);
    }

    /** Writes one curve per named list of results to {@code png} (atomically: a partial PNG is never left). */
    public static void write(Map<String, List<MeasureResult>> series, Path png, String title) {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        XYChart chart = new XYChartBuilder().width(900).height(540).title(title)
                .xAxisTitle("trials").yAxisTitle("best latency (ms)").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.getStyler().setMarkerSize(0);
        boolean any = false;
        for (Map.Entry<String, List<MeasureResult>> e : series.entrySet()) {
            double[][] xy = bestSoFar(e.getValue());
            if (xy[0].length > 0) {
                XYSeries s = chart.addSeries(e.getKey(), xy[0], xy[1]);
                s.setMarker(org.knowm.xchart.style.markers.SeriesMarkers.NONE);
                any = true;
            }
        }
        if (!any) {
            // Nothing valid yet: an empty chart still says so.
            chart.addSeries("no valid trial", new double[] {0}, new double[] {0});
        }
        try {
            Path dir = png.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = dir.resolve(".curve-" + java.util.UUID.randomUUID() + ".png");
            if (!javax.imageio.ImageIO.write(BitmapEncoder.getBufferedImage(chart), "png", tmp.toFile())) {
                throw new IOException("no PNG writer");
            }
            Files.move(tmp, png, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write tuning curve " + png + ": " + e.getMessage(), e);
        }
    }

    /**
     * Trial numbers (1-based) and best mean latency so far in ms, from the first valid trial on.
     * Failed trials count as trials but do not lower the curve.
     */
    public static double[][] bestSoFar(List<MeasureResult> results) {
        List<double[]> pts = new ArrayList<>();
        double best = Double.POSITIVE_INFINITY;
        for (int i = 0; i < results.size(); i++) {
            MeasureResult r = results.get(i);
            if (r.ok()) {
                best = Math.min(best, r.meanCost());
            }
            if (Double.isFinite(best)) {
                pts.add(new double[] {i + 1, best * 1e3});
            }
        }
        double[] x = new double[pts.size()];
        double[] y = new double[pts.size()];
        for (int i = 0; i < pts.size(); i++) {
            x[i] = pts.get(i)[0];
            y[i] = pts.get(i)[1];
        }
        return new double[][] {x, y};
    }

    private static String shortKey(String workloadKey) {
        return workloadKey.length() > 12 ? workloadKey.substring(0, 12) : workloadKey;
    }
}
