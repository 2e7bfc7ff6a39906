package dev.logqueue.harness;

import dev.logqueue.testkit.Broker;
import dev.logqueue.testkit.Database;
import dev.logqueue.testkit.Http;
import dev.logqueue.testkit.Http.Reply;
import dev.logqueue.testkit.Layout;
import dev.logqueue.testkit.Wire;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.imageio.ImageIO;
import org.HdrHistogram.Recorder;

/**
 * Endless logs under retention: a producer appends at a steady rate to a topic that keeps a few
 * minutes, a consumer reads it, and every 10 s the database's size on disk (PostgreSQL: {@code
 * pg_total_relation_size} of the message table; H2: its file) and the broker's RSS are sampled,
 * with the produce p99 of those 10 s. Both must stay within 1.5 times their value at the end of the
 * first retention period. At the end, a large deletion: a second topic filled beforehand has its
 * retention cut to nothing, and the produce p99 while its rows are deleted is measured against the
 * p99 just before.
 */
final class Soak {

  private static final System.Logger LOG = System.getLogger(Soak.class.getName());

  /** One sample: seconds since the start, bytes on disk, RSS bytes, produce p99 (ms), retained. */
  record Sample(long second, long diskBytes, long rssBytes, double p99Millis, long retained) {}

  /** A run: its samples, and the produce p99 before and during the large deletion. */
  record Result(
      String database,
      Duration duration,
      Duration retention,
      int rate,
      List<Sample> samples,
      long produced,
      double p99BeforeDeletion,
      double p99DuringDeletion,
      long deletedRows,
      double deletionSeconds) {

    /** The first sample at or after the first retention period. */
    Sample reference() {
      return samples.stream()
          .filter(s -> s.second() >= retention.toSeconds())
          .findFirst()
          .orElse(samples.get(samples.size() - 1));
    }

    List<Sample> after() {
      Sample reference = reference();
      return samples.stream().filter(s -> s.second() >= reference.second()).toList();
    }

    long maxDisk() {
      return after().stream().mapToLong(Sample::diskBytes).max().orElse(0);
    }

    long maxRss() {
      return after().stream().mapToLong(Sample::rssBytes).max().orElse(0);
    }

    boolean flat() {
      Sample reference = reference();
      return maxDisk() <= 1.5 * reference.diskBytes() && maxRss() <= 1.5 * reference.rssBytes();
    }

    /**
     * How fast the disk grew over the last 40 s, as a share of how fast it grew in the first
     * retention period, when nothing was deleted yet: about 1 for a store that reuses no space,
     * near 0 for one that reuses all it frees. H2 grows in steps (it keeps freed chunks for 45 s
     * and rewrites sparse ones late), so one step between two samples says nothing; a share says
     * whether the space is being reused.
     */
    double recentGrowthShare() {
      Sample first = samples.get(0);
      Sample reference = reference();
      double growingPerSecond =
          (reference.diskBytes() - first.diskBytes())
              / (double) Math.max(1, reference.second() - first.second());
      int n = samples.size();
      Sample last = samples.get(n - 1);
      Sample earlier = samples.get(Math.max(0, n - 5));
      double recentPerSecond =
          (last.diskBytes() - earlier.diskBytes())
              / (double) Math.max(1, last.second() - earlier.second());
      return growingPerSecond <= 0 ? 0 : Math.max(0, recentPerSecond) / growingPerSecond;
    }

    /** Whether the disk stopped growing with the data: at most half as fast as before deletion. */
    boolean plateaued() {
      return samples.size() >= 6 && recentGrowthShare() <= 0.5;
    }
  }

  private static final int BATCH = 100;
  private static final int MESSAGE_BYTES = 200;

  private final Database database;
  private final Duration duration;
  private final Duration retention;
  private final int rate;

  /**
   * @param rate messages per second, in batches of {@value #BATCH}
   */
  Soak(Database database, Duration duration, Duration retention, int rate) {
    this.database = database;
    this.duration = duration;
    this.retention = retention;
    this.rate = rate;
  }

  Result run() throws Exception {
    Path data = Layout.scratch("soak-" + database.kind());
    Broker broker =
        Broker.on(database)
            .dataDirectory(data)
            .javaOptions("-Xmx512m") // the broker's default (LOGQUEUE_JAVA_OPTS)
            .setting("LOGQUEUE_RETENTION_CHECK_MS", 1000)
            .start();
    try {
      Http http = new Http(broker.uri());
      check(
          http.post(
              "topics",
              Http.json("name", "soak", "retention_ms", retention.toMillis()).toString()));
      check(http.post("topics", Http.json("name", "backlog").toString()));
      long producer = id(http.post("producer/register", "{\"topic\":\"soak\"}"), "producer_id");
      long backlogProducer =
          id(http.post("producer/register", "{\"topic\":\"backlog\"}"), "producer_id");
      long consumer = id(http.post("consumer/register", "{\"topic\":\"soak\"}"), "consumer_id");
      String text = "x".repeat(MESSAGE_BYTES - 8);

      // the backlog the large deletion removes at the end, written first
      int backlog = Math.max(50_000, rate * 60);
      for (int i = 0; i < backlog; i += 500) {
        check(http.post("producer/produce", batch("backlog", backlogProducer, i, 500, text)));
      }

      Recorder latencies = new Recorder(3);
      AtomicLong produced = new AtomicLong();
      Thread writer = producer(http, producer, text, latencies, produced);
      Thread reader = consumer(http, consumer);
      writer.start();
      reader.start();
      List<Sample> samples = new ArrayList<>();
      long started = System.nanoTime();
      long next = started;
      while (System.nanoTime() - started < duration.toNanos()) {
        next += Duration.ofSeconds(10).toNanos();
        sleepUntil(next);
        long second = Duration.ofNanos(System.nanoTime() - started).toSeconds();
        double p99 = latencies.getIntervalHistogram().getValueAtPercentile(99) / 1e3;
        JsonObject topic = http.get("topics/soak").json().getJsonObject("topic");
        Sample sample =
            new Sample(
                second,
                diskBytes(data),
                rss(broker.pid()),
                p99,
                topic.getJsonNumber("messages").longValue());
        samples.add(sample);
        LOG.log(
            System.Logger.Level.INFO,
            String.format(
                "%s %5d s: disk %7.1f MB, RSS %6.1f MB, produce p99 %6.1f ms, %,d retained",
                database.kind(),
                second,
                sample.diskBytes() / 1e6,
                sample.rssBytes() / 1e6,
                p99,
                sample.retained()));
      }

      // the large deletion: the backlog's retention cut to nothing, produce measured meanwhile
      latencies.getIntervalHistogram();
      sleepUntil(System.nanoTime() + Duration.ofSeconds(10).toNanos());
      double before = latencies.getIntervalHistogram().getValueAtPercentile(99) / 1e3;
      long deletionStarted = System.nanoTime();
      check(http.send("PUT", "topics/backlog", "{\"retention_bytes\":1}", "application/json"));
      Wire wire = new Wire(broker.uri());
      // the start moves at the next retention round, then the rows go in bounded transactions
      while (http.get("topics/backlog")
              .json()
              .getJsonObject("topic")
              .getJsonNumber("start_offset")
              .longValue()
          < backlog) {
        Thread.sleep(100);
      }
      while (wire.metrics().getOrDefault("logqueue_retention_pending", 1.0) > 0) {
        Thread.sleep(100);
      }
      double deletionSeconds = (System.nanoTime() - deletionStarted) / 1e9;
      double during = latencies.getIntervalHistogram().getValueAtPercentile(99) / 1e3;
      writer.interrupt();
      reader.interrupt();
      writer.join();
      reader.join();
      return new Result(
          database.kind(),
          duration,
          retention,
          rate,
          samples,
          produced.get(),
          before,
          during,
          backlog,
          deletionSeconds);
    } finally {
      broker.stop();
    }
  }

  private Thread producer(
      Http http, long producer, String text, Recorder latencies, AtomicLong produced) {
    return new Thread(
        () -> {
          long interval = Duration.ofSeconds(1).toNanos() * BATCH / rate;
          long next = System.nanoTime();
          int sequence = 0;
          while (!Thread.currentThread().isInterrupted()) {
            next += interval;
            String body = batch("soak", producer, sequence, BATCH, text);
            long sent = System.nanoTime();
            Reply reply = http.post("producer/produce", body);
            latencies.recordValue(Math.max(1, (System.nanoTime() - sent) / 1_000));
            if (reply.isSuccess()) {
              produced.addAndGet(BATCH);
              sequence += BATCH;
            }
            if (!sleepUntil(next)) {
              return;
            }
          }
        },
        "soak-producer");
  }

  private static Thread consumer(Http http, long consumer) {
    return new Thread(
        () -> {
          String body =
              Json.createObjectBuilder()
                  .add("topic", "soak")
                  .add("consumer_id", consumer)
                  .add("max", 1000)
                  .add("wait_ms", 1000)
                  .build()
                  .toString();
          while (!Thread.currentThread().isInterrupted()) {
            try {
              http.post("consumer/consume", body);
            } catch (RuntimeException e) {
              if (Thread.currentThread().isInterrupted()) {
                return;
              }
            }
          }
        },
        "soak-consumer");
  }

  private static String batch(String topic, long producer, int from, int count, String text) {
    List<String> messages = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      messages.add(String.format("%07d ", from + i) + text);
    }
    return Wire.batchBody(topic, producer, messages);
  }

  private static void check(Reply reply) {
    if (!reply.isSuccess()) {
      throw new IllegalStateException("The broker refused: " + reply);
    }
  }

  private static long id(Reply reply, String field) {
    check(reply);
    return reply.json().getJsonNumber(field).longValue();
  }

  /** Sleeps until a {@link System#nanoTime()}; false if interrupted. */
  private static boolean sleepUntil(long deadline) {
    long left = deadline - System.nanoTime();
    if (left > 0) {
      try {
        Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }

  /** The message table's size with its indexes and TOAST (PostgreSQL), or H2's file. */
  private long diskBytes(Path data) throws IOException, SQLException {
    if (database.kind().equals("h2")) {
      try (var files = Files.list(data)) {
        return files
            .filter(f -> f.getFileName().toString().startsWith("logqueue."))
            .mapToLong(
                f -> {
                  try {
                    return Files.size(f);
                  } catch (IOException e) {
                    return 0;
                  }
                })
            .sum();
      }
    }
    try (Connection connection =
            DriverManager.getConnection(
                database.jdbcUrl(data), database.user(), database.password());
        Statement sql = connection.createStatement();
        ResultSet size = sql.executeQuery("SELECT pg_total_relation_size('lq_message')")) {
      size.next();
      return size.getLong(1);
    }
  }

  private static long rss(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    }
    return 0;
  }

  /** The table of a run, in Markdown. */
  static String table(Result result) {
    StringBuilder out = new StringBuilder();
    Sample reference = result.reference();
    List<Sample> samples = result.samples();
    Sample last = samples.get(samples.size() - 1);
    out.append(
        String.format(
            "### %s: %d min at %,d msgs/s of %d bytes, retention %d s%n%n",
            result.database(),
            result.duration().toMinutes(),
            result.rate(),
            MESSAGE_BYTES,
            result.retention().toSeconds()));
    out.append("| | after the first retention period | max after it | end | max / first |\n");
    out.append("|---|---|---|---|---|\n");
    out.append(
        String.format(
            "| database on disk (MB) | %.1f | %.1f | %.1f | %.2f |%n",
            reference.diskBytes() / 1e6,
            result.maxDisk() / 1e6,
            last.diskBytes() / 1e6,
            (double) result.maxDisk() / reference.diskBytes()));
    out.append(
        String.format(
            "| broker RSS (MB) | %.1f | %.1f | %.1f | %.2f |%n",
            reference.rssBytes() / 1e6,
            result.maxRss() / 1e6,
            last.rssBytes() / 1e6,
            (double) result.maxRss() / reference.rssBytes()));
    out.append(
        String.format(
            "%n%,d messages produced; %s (bound: 1.5x); over the last 40 s the disk grew %.2fx as"
                + " fast as before anything was deleted.%n",
            result.produced(), result.flat() ? "flat" : "NOT FLAT", result.recentGrowthShare()));
    out.append(
        String.format(
            "Large deletion of %,d rows (another topic's retention cut to nothing): produce p99"
                + " %.1f ms in the 10 s before, %.1f ms during the %.1f s it took.%n%n",
            result.deletedRows(),
            result.p99BeforeDeletion(),
            result.p99DuringDeletion(),
            result.deletionSeconds()));
    out.append("| s | disk MB | RSS MB | produce p99 ms | retained |\n|---|---|---|---|---|\n");
    for (Sample sample : samples) {
      out.append(
          String.format(
              "| %d | %.1f | %.1f | %.1f | %,d |%n",
              sample.second(),
              sample.diskBytes() / 1e6,
              sample.rssBytes() / 1e6,
              sample.p99Millis(),
              sample.retained()));
    }
    return out.toString();
  }

  /** Disk and RSS over time, one panel per run. */
  static BufferedImage chart(List<Result> results) {
    int width = 1000;
    int panel = 320;
    BufferedImage image =
        new BufferedImage(width, panel * results.size(), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, image.getWidth(), image.getHeight());
    for (int p = 0; p < results.size(); p++) {
      Result result = results.get(p);
      int top = p * panel + 40;
      int left = 70;
      int plotWidth = width - left - 30;
      int plotHeight = panel - 90;
      List<Sample> samples = result.samples();
      long maxSecond = Math.max(1, samples.get(samples.size() - 1).second());
      double maxMb =
          samples.stream()
                  .mapToDouble(s -> Math.max(s.diskBytes(), s.rssBytes()) / 1e6)
                  .max()
                  .orElse(1)
              * 1.1;
      g.setColor(Color.BLACK);
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
      g.drawString(
          String.format(
              "%s: database on disk and broker RSS (MB), %,d msgs/s, retention %d s",
              result.database(), result.rate(), result.retention().toSeconds()),
          left,
          top - 15);
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
      g.drawRect(left, top, plotWidth, plotHeight);
      for (int i = 0; i <= 4; i++) {
        int y = top + plotHeight - i * plotHeight / 4;
        g.drawString(String.format("%.0f", maxMb * i / 4), 10, y + 4);
      }
      g.drawString("0 s", left, top + plotHeight + 15);
      g.drawString(maxSecond + " s", left + plotWidth - 40, top + plotHeight + 15);
      int retentionX = left + (int) (plotWidth * result.retention().toSeconds() / maxSecond);
      g.setColor(Color.LIGHT_GRAY);
      g.drawLine(retentionX, top, retentionX, top + plotHeight);
      g.drawString("first retention period", retentionX + 4, top + 12);
      g.setStroke(new BasicStroke(2f));
      plot(g, samples, true, left, top, plotWidth, plotHeight, maxSecond, maxMb, Color.BLUE);
      plot(g, samples, false, left, top, plotWidth, plotHeight, maxSecond, maxMb, Color.RED);
      g.setStroke(new BasicStroke(1f));
      g.setColor(Color.BLUE);
      g.drawString("database on disk", left + 10, top + plotHeight + 35);
      g.setColor(Color.RED);
      g.drawString("broker RSS", left + 150, top + plotHeight + 35);
    }
    g.dispose();
    return image;
  }

  private static void plot(
      Graphics2D g,
      List<Sample> samples,
      boolean disk,
      int left,
      int top,
      int width,
      int height,
      long maxSecond,
      double maxMb,
      Color color) {
    g.setColor(color);
    int[] xs = new int[samples.size()];
    int[] ys = new int[samples.size()];
    for (int i = 0; i < samples.size(); i++) {
      Sample s = samples.get(i);
      double mb = (disk ? s.diskBytes() : s.rssBytes()) / 1e6;
      xs[i] = left + (int) (width * s.second() / maxSecond);
      ys[i] = top + height - (int) (height * mb / maxMb);
    }
    g.drawPolyline(xs, ys, xs.length);
  }

  /** Writes the tables and the chart next to the benchmark's results. */
  static void write(List<Result> results, Path out) throws IOException {
    Files.createDirectories(out);
    StringBuilder report = new StringBuilder("# Soak: disk and memory under endless logs\n\n");
    report.append(
        "`harness/run.sh soak` (defaults: 30 min per database, 2,000 msgs/s, retention 180 s)."
            + " A sample every 10 s.\n\n");
    results.forEach(r -> report.append(table(r)).append('\n'));
    Files.writeString(out.resolve("soak.md"), report.toString());
    ImageIO.write(chart(results), "png", out.resolve("soak.png").toFile());
  }
}
