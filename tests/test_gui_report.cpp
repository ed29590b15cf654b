// A job's report (issue 16, "A job's report"; docs/dashboard.md, "Job report"), offscreen against
// a real mosquitto: a job on two hosts with known power, one of them silent for a few seconds.
// The CSV holds the job's totals equal to its JobSummary's to the last digit and the factors;
// the PDF is one A4 page from Qt's PDF writer; the PNG has the expected size and the hosts'
// colours in its chart; the silence is in the gap list.
#include "DashboardHarness.h"
#include "TestSupport.h"
#include "pipeline/ProcessorSnapshot.h"
#include "pipeline/SeriesStore.h"
#include "runtime/JobController.h"
#include "runtime/SnapshotSource.h"
#include "widgets/JobCsv.h"
#include "widgets/JobReport.h"
#include "widgets/JobReportExporter.h"
#include "widgets/JobReportRenderer.h"
#include "widgets/JobReportWriter.h"
#include "widgets/JobsPanel.h"
#include "widgets/JobsTableModel.h"
#include "widgets/MainWindow.h"
#include "widgets/StatusBar.h"

#include <QAction>
#include <QDir>
#include <QFile>
#include <QMenuBar>
#include <QProcess>
#include <QPushButton>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <gtest/gtest.h>

using namespace greenpulse;
using app::JobReport;
using app::JobReportWriter;
using test::waitUntil;

namespace {

// One CSV line's fields (RFC 4180 quoting; no line breaks inside fields here).
QStringList csvFields(const QString &line)
{
    QStringList fields{QString()};
    bool quoted = false;
    for (int i = 0; i < line.size(); ++i) {
        const QChar c = line[i];
        if (quoted && c == QLatin1Char('"')) {
            if (i + 1 < line.size() && line[i + 1] == QLatin1Char('"')) {
                fields.last() += c;
                ++i;
            } else {
                quoted = false;
            }
        } else if (c == QLatin1Char('"') && fields.last().isEmpty()) {
            quoted = true;
        } else if (c == QLatin1Char(',') && !quoted) {
            fields << QString();
        } else {
            fields.last() += c;
        }
    }
    return fields;
}

// The report CSV's rows by "section/key/host": {value, unit, from, to, note}.
QHash<QString, QStringList> csvRows(const QString &csv)
{
    QHash<QString, QStringList> rows;
    const QStringList lines = csv.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    for (const QString &line : lines.mid(1)) {
        const QStringList f = csvFields(line);
        EXPECT_EQ(f.size(), 8) << qPrintable(line);
        if (f.size() == 8 && f[0] != QLatin1String("power")) {
            rows.insert(f[0] + QLatin1Char('/') + f[1] + QLatin1Char('/') + f[2], f.mid(3));
        }
    }
    return rows;
}

// Whether `image` has, inside `area`, a pixel within `tolerance` of `color` on every channel.
bool hasColor(const QImage &image, const QRect &area, const QColor &color, int tolerance = 12)
{
    for (int y = area.top(); y <= area.bottom(); ++y) {
        for (int x = area.left(); x <= area.right(); ++x) {
            const QColor c = image.pixelColor(x, y);
            if (std::abs(c.red() - color.red()) <= tolerance &&
                std::abs(c.green() - color.green()) <= tolerance &&
                std::abs(c.blue() - color.blue()) <= tolerance) {
                return true;
            }
        }
    }
    return false;
}

class GuiReportTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        ASSERT_TRUE(broker.start()) << qPrintable(broker.lastError());
        // Gaps over 1 s are not integrated, so the silence shows in the coverage too.
        dashboard = std::make_unique<test::Dashboard>(
            broker.url(), dir.path(),
            QStringList{QStringLiteral("--max-gap-s"), QStringLiteral("1"), QStringLiteral("--pue"),
                        QStringLiteral("1.5"), QStringLiteral("--carbon-intensity"),
                        QStringLiteral("0.4")});
        ASSERT_TRUE(dashboard->parsed);
        ASSERT_TRUE(dashboard->waitConnected());
        publisher = std::make_unique<test::SamplePublisher>(broker.url());
        ASSERT_TRUE(publisher->waitConnected());
    }
    void TearDown() override { dashboard.reset(); }

    // Samples from `hosts` every 200 ms for `ms`.
    void publish(const QStringList &hosts, int ms)
    {
        for (int t = 0; t < ms; t += 200) {
            for (const QString &host : hosts) {
                publisher->power(host, host == QLatin1String("gpu-a") ? 300 : 200);
            }
            test::spin(200);
        }
    }

    QTemporaryDir dir;
    test::MosquittoBroker broker;
    std::unique_ptr<test::Dashboard> dashboard;
    std::unique_ptr<test::SamplePublisher> publisher;
};

} // namespace

TEST_F(GuiReportTest, AJobOnTwoHostsWithAGapAsCsvPdfAndPng)
{
    app::MainWindow &w = *dashboard->window;
    const QStringList both = {QStringLiteral("gpu-a"), QStringLiteral("gpu-b")};
    ASSERT_TRUE(waitUntil(
        [&] {
            publish(both, 200);
            auto s = dashboard->components->source().snapshot();
            return s && s->hosts.size() == 2;
        },
        10000));
    const QString id = dashboard->components->jobs->startJob(QStringLiteral("Train"), {});
    ASSERT_TRUE(waitUntil([&] { return dashboard->job(id) != nullptr; }, 5000));
    publish(both, 3000);
    publish({QStringLiteral("gpu-a")}, 6000); // gpu-b silent for 6 s
    publish(both, 3000);
    dashboard->components->jobs->endJob(id);
    ASSERT_TRUE(waitUntil(
        [&] {
            publish(both, 200);
            return dashboard->job(id) && !dashboard->job(id)->running;
        },
        5000));
    test::spin(300); // its final totals in the snapshot
    const core::JobSummary summary = *dashboard->job(id);
    ASSERT_EQ(summary.hosts, both);

    // The action: enabled with a job selected, in the File menu and next to Export CSV.
    app::JobsPanel &panel = *w.jobsPanel();
    panel.view()->clearSelection();
    EXPECT_FALSE(panel.reportAction()->isEnabled());
    panel.selectJob(id);
    EXPECT_TRUE(panel.reportAction()->isEnabled());
    auto *button = panel.findChild<QPushButton *>(QStringLiteral("jobReportButton"));
    ASSERT_NE(button, nullptr);
    EXPECT_TRUE(button->isEnabled());
    EXPECT_TRUE(w.menuBar()->actions().first()->menu()->actions().contains(panel.reportAction()));
    EXPECT_EQ(panel.reportAction()->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_R));

    const std::optional<JobReport> report = w.reports()->report(id);
    ASSERT_TRUE(report.has_value());
    ASSERT_EQ(report->hosts.size(), 2u);
    EXPECT_TRUE(report->hasSeries);
    QStringList gapHosts;
    for (const JobReport::Span &gap : report->gaps) {
        gapHosts << gap.host;
        EXPECT_EQ(gap.host, QStringLiteral("gpu-b"))
            << qPrintable(gap.why) << " " << gap.seconds() << " s";
        EXPECT_GT(gap.seconds(), 3.5);
        EXPECT_LT(gap.seconds(), 9.0);
    }
    EXPECT_EQ(gapHosts, QStringList{QStringLiteral("gpu-b")}) << "the silence, once";
    EXPECT_GT(summary.uncoveredSeconds, 3.0) << "the ledger's view of the same silence";

    // CSV: the totals to the last digit, the factors, the gap.
    const QString csvPath = dir.filePath(QStringLiteral("report.csv"));
    QString error;
    ASSERT_TRUE(w.reports()->exportTo(id, csvPath, &error)) << qPrintable(error);
    EXPECT_TRUE(w.statusPanel()->currentMessage().contains(csvPath))
        << qPrintable(w.statusPanel()->currentMessage());
    QFile csvFile(csvPath);
    ASSERT_TRUE(csvFile.open(QIODevice::ReadOnly));
    const QHash<QString, QStringList> rows = csvRows(QString::fromUtf8(csvFile.readAll()));
    using namespace app::jobcsv;
    const QList<QPair<QLatin1String, double>> totals = {
        {kKwh, summary.kwh},
        {kCo2eKg, summary.co2eKg},
        {kAvgWatts, summary.avgWatts},
        {kPeakWatts, summary.peakWatts},
        {kCoverage, summary.coverage},
        {kDurationS, summary.durationSeconds},
        {kFacilityKwh, summary.footprint.facilityKwh},
        {kWaterOnsiteL, summary.footprint.waterOnsiteL},
        {kWaterOffsiteL, summary.footprint.waterOffsiteL},
        {kSciCo2eKg, summary.sciKg()},
    };
    for (const auto &[key, value] : totals) {
        const QStringList row = rows.value(QStringLiteral("job/%1/").arg(key));
        ASSERT_FALSE(row.isEmpty()) << key.data();
        EXPECT_EQ(row[0].toDouble(), value) << key.data() << " " << qPrintable(row[0]);
    }
    EXPECT_GT(summary.kwh, 0);
    EXPECT_EQ(rows.value(QStringLiteral("job/job_id/")).value(0), id);
    EXPECT_NEAR(rows.value(QStringLiteral("factor/pue/")).value(0).toDouble(), 1.5, 1e-9);
    EXPECT_EQ(rows.value(QStringLiteral("factor/carbon_min_g_per_kwh/")).value(0).toDouble(), 400);
    EXPECT_EQ(rows.value(QStringLiteral("factor/carbon_max_g_per_kwh/")).value(0).toDouble(), 400);
    EXPECT_EQ(rows.value(QStringLiteral("factor/carbon_max_g_per_kwh/")).value(4),
              QStringLiteral("constant"));
    EXPECT_NEAR(rows.value(QStringLiteral("factor/wue_l_per_kwh/")).value(0).toDouble(), 0.55,
                1e-9);
    EXPECT_NEAR(rows.value(QStringLiteral("factor/ewif_l_per_kwh/")).value(0).toDouble(), 3.14,
                1e-9);
    EXPECT_TRUE(rows.value(QStringLiteral("factor/wue_l_per_kwh/"))
                    .value(4)
                    .contains(QStringLiteral("Li et al. 2023")));
    EXPECT_TRUE(rows.contains(QStringLiteral("gap/gap/gpu-b")));
    EXPECT_FALSE(rows.contains(QStringLiteral("gap/gap/gpu-a")));
    EXPECT_EQ(rows.value(QStringLiteral("host/energy_to_job/gpu-a")).value(0),
              QStringLiteral("yes"));
    EXPECT_NEAR(rows.value(QStringLiteral("host/mean_watts/gpu-a")).value(0).toDouble(), 300, 1e-9);

    // PDF: Qt's writer, one page, not trivially small.
    const QString pdfPath = dir.filePath(QStringLiteral("report.pdf"));
    ASSERT_TRUE(w.reports()->exportTo(id, pdfPath, &error)) << qPrintable(error);
    QFile pdf(pdfPath);
    ASSERT_TRUE(pdf.open(QIODevice::ReadOnly));
    const QByteArray bytes = pdf.readAll();
    EXPECT_TRUE(bytes.startsWith("%PDF-"));
    EXPECT_GT(bytes.size(), 8000);
    EXPECT_EQ(
        QString::fromLatin1(bytes).count(QRegularExpression(QStringLiteral("/Type\\s*/Page\\b"))),
        1);
    if (const QString pdftotext = QStandardPaths::findExecutable(QStringLiteral("pdftotext"));
        !pdftotext.isEmpty()) {
        QProcess p;
        p.start(pdftotext, {pdfPath, QStringLiteral("-")});
        ASSERT_TRUE(p.waitForFinished(10000));
        const QString text = QString::fromUtf8(p.readAllStandardOutput());
        EXPECT_TRUE(text.contains(id)) << qPrintable(text);
        EXPECT_TRUE(text.contains(QStringLiteral("gpu-b"))) << qPrintable(text);
    }

    // PNG: the page's size, and each host's colour in the chart's plot area.
    const QString pngPath = dir.filePath(QStringLiteral("report.png"));
    ASSERT_TRUE(w.reports()->exportTo(id, pngPath, &error)) << qPrintable(error);
    QImage png(pngPath);
    ASSERT_FALSE(png.isNull());
    // For the eye and the docs: <build>/screenshots/job-report.png.
    const QString screenshots = QStringLiteral(GREENPULSE_BUILD_DIR "/screenshots");
    ASSERT_TRUE(QDir().mkpath(screenshots));
    QFile::remove(screenshots + QStringLiteral("/job-report.png"));
    EXPECT_TRUE(QFile::copy(pngPath, screenshots + QStringLiteral("/job-report.png")));
    EXPECT_EQ(png.size(), JobReportWriter::pngSize());
    const double scale = png.width() / app::JobReportRenderer::kPageWidth;
    const QRectF plot = app::JobReportRenderer::plotRect();
    const QRect area(QPoint(int(plot.left() * scale), int(plot.top() * scale)),
                     QPoint(int(plot.right() * scale), int(plot.bottom() * scale)));
    for (const JobReport::Host &host : report->hosts) {
        EXPECT_TRUE(hasColor(png, area, host.color)) << qPrintable(host.name);
    }

    // An unknown suffix is refused, nothing written.
    EXPECT_FALSE(w.reports()->exportTo(id, dir.filePath(QStringLiteral("report.txt")), &error));
    EXPECT_TRUE(error.contains(QStringLiteral(".pdf")));
}

TEST(GuiReport, LongListsAreCutOnThePageAndKeptWholeInTheCsv)
{
    JobReport report;
    report.job.jobId = QStringLiteral("Big_1764049200_a1b2c3");
    report.job.kwh = 12.5;
    report.fromMs = 1'764'049'200'000.0;
    report.toMs = report.fromMs + 3'600'000;
    report.hasSeries = true;
    for (int i = 0; i < 40; ++i) {
        JobReport::Host host;
        host.name = QStringLiteral("node-%1").arg(i, 2, 10, QLatin1Char('0'));
        host.color = Qt::darkGreen;
        host.runs = {{QPointF(report.fromMs, 100 + i), QPointF(report.toMs, 100 + i)}};
        host.points = 2;
        host.meanWatts = host.peakWatts = 100 + i;
        report.hosts.push_back(host);
        report.gaps.append({host.name, report.fromMs + 60'000 * i,
                            report.fromMs + 60'000 * i + 5000, QStringLiteral("silent")});
    }
    const QImage image = JobReportWriter::toImage(report);
    EXPECT_EQ(image.size(), JobReportWriter::pngSize());
    const QString csv = JobReportWriter::toCsv(report);
    EXPECT_EQ(csv.count(QStringLiteral("\ngap,gap,")), 40);
    EXPECT_EQ(csv.count(QStringLiteral("\npower,watts,")), 80);
    EXPECT_TRUE(
        csv.startsWith(QStringLiteral("section,key,host,value,unit,from_utc,to_utc,note\n")));
    EXPECT_EQ(JobReportWriter::formatOf(QStringLiteral("/tmp/x.PDF")),
              JobReportWriter::Format::Pdf);
    EXPECT_EQ(JobReportWriter::formatOf(QStringLiteral("x.png")), JobReportWriter::Format::Png);
    EXPECT_EQ(JobReportWriter::formatOf(QStringLiteral("x")), JobReportWriter::Format::Unknown);
}

TEST(GuiReport, TheJobsTableCsvKeepsItsColumns)
{
    // Its keys now come from JobCsv.h, shared with the report: the same header as before.
    app::JobsTableModel model;
    EXPECT_TRUE(model.toCsv().startsWith(QStringLiteral(
        "job_id,hosts,status,start_utc,end_utc,duration_s,kwh,co2e_kg,liters,avg_watts,"
        "peak_watts,coverage,exit_code,facility_kwh,water_onsite_l,water_offsite_l,"
        "embodied_co2e_kg,sci_co2e_kg\n")));
}

TEST(GuiReport, GapsOutagesAndSilentHostsComeFromTheSeriesAndTheSpan)
{
    // A job from t0 to t0 + 60 s on gpu-a (points from 5 s to 20 s and 30 s to 50 s) and gpu-b
    // (named by its start, never heard); a broker outage over its end, another long before.
    const double t0 = 1'764'049'200'000.0;
    core::ProcessorSnapshot snapshot;
    snapshot.config.maxGapSeconds = 10;
    core::JobSummary job;
    job.jobId = QStringLiteral("Sweep_1764049200_a1b2c3");
    job.startNs = static_cast<core::TimeNs>(t0) * 1'000'000;
    job.endNs = job.startNs + 60'000'000'000LL;
    job.hosts = {QStringLiteral("gpu-a")};
    job.targetHosts = {QStringLiteral("gpu-a"), QStringLiteral("gpu-b")};
    job.gpus.insert(QStringLiteral("gpu-a"), {QStringLiteral("0"), QStringLiteral("1")});
    snapshot.jobs = {job};
    core::SeriesStore series;
    for (int s = 0; s <= 70; ++s) {
        if ((s >= 5 && s <= 20) || (s >= 30 && s <= 50)) {
            series.append(QStringLiteral("power/gpu-a"), t0 + s * 1000.0, 250);
        }
    }
    const QVector<JobReport::Span> outages = {{{}, t0 - 100'000, t0 - 90'000, {}},
                                              {{}, t0 + 55'000, 0, {}}}; // still open
    const std::optional<JobReport> report =
        JobReport::collect(snapshot, series, job.jobId, outages);
    ASSERT_TRUE(report.has_value());
    EXPECT_FALSE(JobReport::collect(snapshot, series, QStringLiteral("nope")).has_value());
    EXPECT_EQ(report->title(), QStringLiteral("Sweep"));
    ASSERT_EQ(report->hosts.size(), 2u);
    EXPECT_TRUE(report->hosts[0].contributed);
    EXPECT_FALSE(report->hosts[1].contributed);
    EXPECT_EQ(report->hosts[0].gpus, (QStringList{QStringLiteral("0"), QStringLiteral("1")}));
    EXPECT_EQ(report->hosts[0].runs.size(), 2);
    EXPECT_DOUBLE_EQ(report->hosts[0].meanWatts, 250);

    QStringList gaps;
    for (const JobReport::Span &gap : report->gaps) {
        gaps << QStringLiteral("%1 %2-%3")
                    .arg(gap.host)
                    .arg((gap.fromMs - t0) / 1000)
                    .arg((gap.toMs - t0) / 1000);
    }
    EXPECT_EQ(gaps, (QStringList{QStringLiteral("gpu-a 0-5"), QStringLiteral("gpu-b 0-60"),
                                 QStringLiteral("gpu-a 20-30"), QStringLiteral("gpu-a 50-60")}));
    ASSERT_EQ(report->outages.size(), 1) << "the one before the job is not its";
    EXPECT_DOUBLE_EQ(report->outages[0].fromMs, t0 + 55'000);
    EXPECT_DOUBLE_EQ(report->outages[0].toMs, t0 + 60'000) << "an open one ends with the span";
    EXPECT_DOUBLE_EQ(report->gapSeconds(), 5 + 60 + 10 + 10);

    const QString csv = JobReportWriter::toCsv(*report);
    EXPECT_TRUE(csv.contains(QStringLiteral("\noutage,outage,,5,s,")));
    EXPECT_TRUE(csv.contains(QStringLiteral("\nhost,energy_to_job,gpu-b,no,")));
    EXPECT_TRUE(csv.contains(QStringLiteral("\nhost,gpus,gpu-a,0 1,")));
    EXPECT_TRUE(
        csv.contains(QStringLiteral("\ncoverage,water_coverage,,0,fraction,,,no flow sensor")));
}
