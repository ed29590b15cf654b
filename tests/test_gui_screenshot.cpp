// A screenshot of the live dashboard, saved to <build>/screenshots/main-window.png (and -dark.png),
// and a check of what it shows: the jobs in the table and their totals, a line per host drawn
// from the store's series, a band per job, each host's colour in the picture.
#include "DashboardHarness.h"
#include "TestSupport.h"
#include "charts/ChartsPanel.h"
#include "charts/TimeChart.h"
#include "protocol/JobId.h"
#include "protocol/Protocol.h"
#include "runtime/DemoRunner.h"
#include "runtime/JobController.h"
#include "widgets/ControlsPanel.h"
#include "widgets/HeaderCards.h"
#include "widgets/JobsPanel.h"
#include "widgets/JobsTableModel.h"
#include "widgets/MainWindow.h"

#include <QApplication>
#include <QComboBox>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QImage>
#include <QLineEdit>
#include <QPalette>
#include <QRandomGenerator>
#include <QSet>
#include <algorithm>
#include <cmath>
#include <gtest/gtest.h>

using namespace greenpulse;
using greenpulse::test::GuiTest;
using greenpulse::test::SamplePublisher;
using greenpulse::test::waitUntil;

// Four hosts, four minutes of history, then live data with jobs started from the window and the
// demo; then a screenshot. The processor records chart series only live, once a second, so the
// history part of the host and job series is written into the SeriesStore by the test, from the
// same samples it publishes (backdated) to the processor: totals and lines agree.
TEST_F(GuiTest, ScreenshotOfTheLiveWindow)
{
    SamplePublisher publisher(broker.url());
    ASSERT_TRUE(publisher.waitConnected());
    app::MainWindow &w = *dashboard->window;
    w.resize(1440, 900);
    core::SeriesStore &series = dashboard->components->series;
    const QStringList hosts = {QStringLiteral("gpu-server-01"), QStringLiteral("gpu-server-02"),
                               QStringLiteral("gpu-server-03"), QStringLiteral("gpu-server-04")};
    QSet<int> busy;
    auto watts = [&](int h, double t) {
        const double idle = 180 + 25 * h + 18 * std::sin(t * 1.3 + h * 2);
        return busy.contains(h) ? idle + 1450 + 260 * h + 180 * std::sin(t / 7.0 + h) : idle;
    };
    auto flow = [&](int h, double t) {
        return 9.5 + (busy.contains(h) ? 3.5 : 0) + 0.6 * std::sin(t / 5 + h);
    };
    auto temp = [&](int h, double t) {
        return 24 + 2.2 * h + (busy.contains(h) ? 6 : 0) + 0.8 * std::sin(t / 9 + h);
    };

    // History: 240 s at 1 Hz, with a finished job on gpu-server-03 from -200 s to -110 s.
    const qint64 t0Ms = QDateTime::currentMSecsSinceEpoch();
    const int historyS = 240;
    QRandomGenerator random(7);
    const QString prep =
        core::jobid::make(QStringLiteral("Data_Preprocessing"), (t0Ms - 200'000) / 1000, random);
    const int prepStartS = 40;
    const int prepEndS = 130;
    auto atSecond = [&](int s) {
        busy = s >= prepStartS && s < prepEndS ? QSet<int>{2} : QSet<int>{};
        return static_cast<double>(s - historyS); // t
    };
    auto historyMs = [&](int s) { return t0Ms - (historyS - s) * 1000; };
    // First the chart series of the history, then the same samples to the processor: it records
    // live points (x = now) as soon as it sees the job, and a series refuses older points after
    // a newer one, so history written after that would be cut off.
    double kwh = 0;
    double liters = 0;
    QVector<QPointF> firstPower(hosts.size()); // the oldest point of each host's line
    for (int s = 0; s < historyS; ++s) {
        const double t = atSecond(s);
        const double xMs = static_cast<double>(historyMs(s));
        for (int h = 0; h < hosts.size(); ++h) {
            series.append(QStringLiteral("power/") + hosts[h], xMs, watts(h, t));
            series.append(QStringLiteral("flow/") + hosts[h], xMs, flow(h, t));
            series.append(QStringLiteral("temp/") + hosts[h], xMs, temp(h, t));
            if (s == 0) {
                firstPower[h] = QPointF(xMs, watts(h, t));
            }
        }
        if (s >= prepStartS) {
            if (busy.contains(2)) {
                kwh += watts(2, t) / 3.6e6;
                liters += flow(2, t) / 60.0;
            }
            series.append(QStringLiteral("kwh/") + prep, xMs, kwh);
            series.append(QStringLiteral("co2e/") + prep, xMs, kwh * 0.632);
            series.append(QStringLiteral("liters/") + prep, xMs, liters);
        }
    }
    for (int s = 0; s < historyS; ++s) {
        const double t = atSecond(s);
        const qint64 xNs = historyMs(s) * 1'000'000;
        if (s == prepStartS || s == prepEndS) {
            core::ControlMessage control;
            control.status = s == prepStartS ? core::JobStatus::Start : core::JobStatus::End;
            control.jobId = prep;
            control.host = hosts[2];
            control.timestampNs = xNs;
            publisher.client->publish(core::topics::kControl, core::encode(control), 1);
        }
        for (int h = 0; h < hosts.size(); ++h) {
            publisher.power(hosts[h], watts(h, t), xNs);
            publisher.flow(hosts[h], flow(h, t), temp(h, t), xNs);
        }
        if (s % 50 == 0) {
            test::spin(20);
        }
    }
    busy.clear();
    ASSERT_TRUE(
        waitUntil([&] { return dashboard->job(prep) && !dashboard->job(prep)->running; }, 10000));

    // Live: every host reports power and its coolant loop twice a second.
    qint64 step = 0;
    auto run = [&](int ms) {
        QElapsedTimer timer;
        timer.start();
        while (timer.elapsed() < ms) {
            const double t = static_cast<double>(step++) * 0.5;
            for (int h = 0; h < hosts.size(); ++h) {
                publisher.power(hosts[h], watts(h, t));
                publisher.flow(hosts[h], flow(h, t), temp(h, t));
            }
            test::spin(500);
        }
    };
    w.charts()->setWindowSeconds(5 * 60);
    run(2000);
    QComboBox *hostBox = w.controls()->hostBox();
    ASSERT_TRUE(waitUntil([&] { return hostBox->count() >= 5; }, 5000));

    // A job on one host, started from the controls.
    w.controls()->nameEdit()->setText(QStringLiteral("Llama_Finetune"));
    hostBox->setCurrentIndex(hostBox->findData(hosts[1]));
    busy.insert(1);
    const QString finetune = w.startJob();
    run(6000);
    // The demo, shortened, on another host.
    dashboard->components->jobs->demo().setSteps(
        {{QStringLiteral("Initial_Model_Train"), 8000, 3000},
         {QStringLiteral("Hyperparameter_Tuning"), 15000, 1000}});
    hostBox->setCurrentIndex(hostBox->findData(hosts[3]));
    busy.insert(3);
    w.toggleDemo();
    run(8000);
    busy.remove(3);
    run(3000);
    busy.insert(3);
    run(5000);
    busy.insert(0);
    w.controls()->nameEdit()->setText(QStringLiteral("Eval_Benchmark"));
    hostBox->setCurrentIndex(hostBox->findData(hosts[0]));
    const QString eval = w.startJob();
    run(7000);
    w.jobsPanel()->selectJob(finetune);
    test::spin(400);

    const QString folder = QStringLiteral(GREENPULSE_BUILD_DIR "/screenshots");
    ASSERT_TRUE(QDir().mkpath(folder));
    const QString path = folder + QStringLiteral("/main-window.png");
    const QImage shot = w.grab().toImage();
    ASSERT_TRUE(shot.save(path)) << qPrintable(path);

    // What the screenshot shows. The table: the finished job from the history, the two jobs
    // started from the controls (running, on the hosts chosen), both demo jobs.
    app::JobsTableModel &table = w.jobsPanel()->model();
    QStringList jobs;
    for (int row = 0; row < table.rowCount(); ++row) {
        if (table.job(row)->jobId != QLatin1String(core::jobid::kIdle)) {
            jobs << table.job(row)->jobId;
        }
    }
    jobs.sort();
    ASSERT_EQ(jobs.size(), 5) << qPrintable(jobs.join(QLatin1Char(' ')));
    auto jobNamed = [&](const QString &name) -> const core::JobSummary * {
        for (const QString &id : jobs) {
            if (id.startsWith(name + QLatin1Char('_'))) {
                return dashboard->job(id);
            }
        }
        ADD_FAILURE() << "no job " << qPrintable(name) << " in the table";
        return nullptr;
    };
    const core::JobSummary *prepRow = jobNamed(QStringLiteral("Data_Preprocessing"));
    const core::JobSummary *finetuneRow = jobNamed(QStringLiteral("Llama_Finetune"));
    const core::JobSummary *evalRow = jobNamed(QStringLiteral("Eval_Benchmark"));
    const core::JobSummary *trainRow = jobNamed(QStringLiteral("Initial_Model_Train"));
    const core::JobSummary *tuningRow = jobNamed(QStringLiteral("Hyperparameter_Tuning"));
    ASSERT_TRUE(prepRow && finetuneRow && evalRow && trainRow && tuningRow);
    EXPECT_EQ(prepRow->jobId, prep);
    EXPECT_FALSE(prepRow->running);
    EXPECT_EQ(prepRow->hosts, QStringList{hosts[2]});
    // Its energy in the table is the energy of the samples its line was drawn from.
    EXPECT_NEAR(prepRow->kwh, kwh, 0.03 * kwh);
    EXPECT_NEAR(prepRow->liters, liters, 0.03 * liters);
    EXPECT_EQ(finetuneRow->jobId, finetune);
    EXPECT_TRUE(finetuneRow->running);
    EXPECT_EQ(finetuneRow->targetHost, hosts[1]);
    EXPECT_EQ(evalRow->jobId, eval);
    EXPECT_TRUE(evalRow->running);
    EXPECT_EQ(evalRow->targetHost, hosts[0]);
    EXPECT_FALSE(trainRow->running); // 8 s, long over
    EXPECT_EQ(trainRow->targetHost, hosts[3]);
    EXPECT_EQ(tuningRow->targetHost, hosts[3]);
    EXPECT_EQ(w.jobsPanel()->selectedJobId(), finetune);
    EXPECT_EQ(w.cards()->jobs()->value(), QString::number(table.runningJobs().size()));

    // The power chart: one line per host (no "all hosts" line with four), each the host's series
    // from the store, from the first second of the history to the live samples; a band per job.
    app::TimeChart *power = w.charts()->powerChart();
    QStringList powerKeys = power->lineKeys();
    powerKeys.sort();
    QStringList expectedKeys;
    for (const QString &host : hosts) {
        expectedKeys << QStringLiteral("power/") + host;
    }
    EXPECT_EQ(powerKeys, expectedKeys);
    for (int h = 0; h < hosts.size(); ++h) {
        const QString key = QStringLiteral("power/") + hosts[h];
        EXPECT_EQ(power->lineLabel(key), hosts[h]);
        const QVector<QPointF> line = power->linePoints(key);
        ASSERT_FALSE(line.isEmpty()) << qPrintable(key);
        EXPECT_EQ(line.constFirst(), firstPower[h]) << qPrintable(key);
        EXPECT_GT(line.constLast().x(), static_cast<double>(t0Ms)) << "no live point";
        const QVector<QPointF> stored = series.copy(key);
        const auto notStored = std::count_if(line.cbegin(), line.cend(),
                                             [&](const QPointF &p) { return !stored.contains(p); });
        EXPECT_EQ(notStored, 0) << qPrintable(key) << ": points the store does not hold";
    }
    QStringList bands = power->bandKeys();
    bands.sort();
    EXPECT_EQ(bands, jobs);
    // The energy, carbon and water charts draw the jobs with energy; the coolant chart every host.
    for (const QString &id : {prep, finetune, eval}) {
        EXPECT_TRUE(w.charts()->energyChart()->lineKeys().contains(QStringLiteral("kwh/") + id))
            << qPrintable(id);
    }
    // The prep job's energy line holds its whole history: its total from its last second on.
    const QVector<QPointF> prepEnergy =
        w.charts()->energyChart()->linePoints(QStringLiteral("kwh/") + prep);
    EXPECT_TRUE(prepEnergy.contains(QPointF(static_cast<double>(historyMs(prepEndS - 1)), kwh)))
        << prepEnergy.size() << " points";
    const QVector<QPointF> prepCarbon =
        w.charts()->carbonChart()->linePoints(QStringLiteral("co2e/") + prep);
    ASSERT_FALSE(prepCarbon.isEmpty());
    // After the history written here, the processor's own live points: the ledger's total.
    EXPECT_DOUBLE_EQ(prepCarbon.constLast().y(), prepRow->co2eKg);
    EXPECT_NEAR(prepRow->co2eKg, kwh * 0.632, 0.03 * kwh * 0.632);
    QStringList coolantKeys = w.charts()->coolantChart()->lineKeys();
    coolantKeys.sort();
    QStringList expectedCoolant;
    for (const QString &kind : {QStringLiteral("flow/"), QStringLiteral("temp/")}) {
        for (const QString &host : hosts) {
            expectedCoolant << kind + host;
        }
    }
    EXPECT_EQ(coolantKeys, expectedCoolant);

    // And the picture has them: each host's line colour inside the power chart's plot area.
    const QRect plot = power->plotRect().translated(power->mapTo(&w, QPoint(0, 0)));
    ASSERT_TRUE(shot.rect().contains(plot)) << plot.x() << "," << plot.y();
    // The selected job (Llama_Finetune) highlights its host; the other hosts are faded.
    EXPECT_TRUE(power->emphasis().contains(QStringLiteral("power/") + hosts[1]));
    for (const QString &key : expectedKeys) {
        if (!power->emphasis().contains(key)) {
            continue; // faded: drawn, but not in its own colour
        }
        const QColor color = power->lineColor(key);
        int pixels = 0;
        for (int y = plot.top(); y <= plot.bottom(); ++y) {
            for (int x = plot.left(); x <= plot.right(); ++x) {
                const QColor c = shot.pixelColor(x, y);
                pixels += std::abs(c.red() - color.red()) + std::abs(c.green() - color.green()) +
                                      std::abs(c.blue() - color.blue()) <=
                                  30
                              ? 1
                              : 0;
            }
        }
        EXPECT_GT(pixels, 200) << qPrintable(key) << " (" << qPrintable(color.name())
                               << ") hardly drawn";
    }

    // The same window in a dark palette (a desktop's dark theme): cards, table and charts follow.
    const QPalette light = QApplication::palette();
    QPalette dark;
    dark.setColor(QPalette::Window, QColor(0x2b, 0x2d, 0x31));
    dark.setColor(QPalette::WindowText, QColor(0xe6, 0xe6, 0xe6));
    dark.setColor(QPalette::Base, QColor(0x1e, 0x1f, 0x22));
    dark.setColor(QPalette::AlternateBase, QColor(0x26, 0x28, 0x2c));
    dark.setColor(QPalette::Text, QColor(0xe6, 0xe6, 0xe6));
    dark.setColor(QPalette::Button, QColor(0x3a, 0x3c, 0x41));
    dark.setColor(QPalette::ButtonText, QColor(0xe6, 0xe6, 0xe6));
    dark.setColor(QPalette::Mid, QColor(0x50, 0x52, 0x57));
    dark.setColor(QPalette::Midlight, QColor(0x44, 0x46, 0x4b));
    dark.setColor(QPalette::Highlight, QColor(0x2f, 0x6f, 0xb5));
    dark.setColor(QPalette::HighlightedText, Qt::white);
    dark.setColor(QPalette::PlaceholderText, QColor(0x9a, 0x9a, 0x9a));
    QApplication::setPalette(dark);
    test::spin(600);
    const QString darkPath = folder + QStringLiteral("/main-window-dark.png");
    EXPECT_TRUE(w.grab().save(darkPath)) << qPrintable(darkPath);
    QApplication::setPalette(light);
}
