package io.mysqlmux.bench.report;

import io.mysqlmux.bench.scenario.Measurement;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One PNG per run: throughput by number of clients (left) and p50 / p99 latency by number of
 * clients (right), one series per target, so the proxy's cost against the server and a plain relay
 * is seen at a glance.
 */
public final class ChartReport {
    /** One colour per target, the same in both charts. */
    private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c),
        new Color(0xd62728), new Color(0x9467bd), new Color(0x8c564b)};

    private ChartReport() {
    }

    public static void write(Path png, String title, List<Measurement> measurements) throws IOException {
        System.setProperty("java.awt.headless", "true");
        Map<String, List<Measurement>> byTarget = new LinkedHashMap<>();
        measurements.forEach(m -> byTarget.computeIfAbsent(m.target(), t -> new ArrayList<>()).add(m));

        XYChart throughput = chart(title + ": throughput", "units per second");
        XYChart latency = chart(title + ": latency (p50 solid, p99 dashed)", "microseconds");
        latency.getStyler().setYAxisLogarithmic(true);
        latency.getStyler().setYAxisDecimalPattern("#,###");
        int index = 0;
        for (Map.Entry<String, List<Measurement>> target : byTarget.entrySet()) {
            Color color = PALETTE[index++ % PALETTE.length];
            List<Double> clients = target.getValue().stream().map(m -> (double) m.clients()).toList();
            style(throughput.addSeries(target.getKey(), clients,
                    target.getValue().stream().map(Measurement::unitsPerSecond).toList()), color, SeriesMarkers.CIRCLE);
            style(latency.addSeries(target.getKey() + " p50", clients,
                    target.getValue().stream().map(m -> (double) Math.max(1, m.p50Micros())).toList()),
                    color, SeriesMarkers.CIRCLE);
            style(latency.addSeries(target.getKey() + " p99", clients,
                    target.getValue().stream().map(m -> (double) Math.max(1, m.p99Micros())).toList()),
                    color, SeriesMarkers.DIAMOND).setLineStyle(SeriesLines.DASH_DASH);
        }
        String file = png.toString();
        BitmapEncoder.saveBitmap(List.of(throughput, latency), 1, 2,
                file.endsWith(".png") ? file.substring(0, file.length() - 4) : file, BitmapEncoder.BitmapFormat.PNG);
    }

    private static XYSeries style(XYSeries series, Color color, Marker marker) {
        series.setMarker(marker);
        series.setMarkerColor(color);
        series.setLineColor(color);
        return series;
    }

    private static XYChart chart(String title, String yTitle) {
        XYChart chart = new XYChartBuilder().width(800).height(500).title(title).xAxisTitle("clients")
                .yAxisTitle(yTitle).build();
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setYAxisDecimalPattern("#,###");
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNW);
        return chart;
    }
}
