#include "GuiBench.h"

#include "BenchApplication.h"
#include "BenchBroker.h"
#include "PowerFeed.h"
#include "Report.h"
#include "StreamFeeder.h"
#include "Sys.h"
#include "accounting/Ledger.h"
#include "charts/ChartsPanel.h"
#include "influx/InfluxWriter.h"
#include "mqtt/MosquittoClient.h"
#include "options/Options.h"
#include "pipeline/Processor.h"
#include "pipeline/SeriesKeys.h"
#include "pipeline/SeriesStore.h"
#include "runtime/Backend.h"
#include "runtime/GuiSettings.h"
#include "runtime/JobController.h"
#include "runtime/SwappableMqttClient.h"
#include "widgets/MainWindow.h"

#include <QElapsedTimer>
#include <QFile>
#include <QProcessEnvironment>
#include <QSettings>
#include <QTemporaryDir>
#include <algorithm>
#include <atomic>

namespace greenpulse::bench {

namespace {

constexpr qint64 kNs = 1'000'000'000LL;

// The wall clock, or a fixed instant while the simulated hour is replayed.
class SteppedClock final : public core::Clock
{
public:
    qint64 nowNs() const override
    {
        const qint64 fixed = m_fixed.load();
        return fixed != 0 ? fixed : m_system.nowNs();
    }
    void set(qint64 ns) { m_fixed.store(ns); }
    void followSystem() { m_fixed.store(0); }

private:
    core::SystemClock m_system;
    std::atomic<qint64> m_fixed{0};
};

} // namespace

void GuiBench::run(int hosts, int jobs, int simulatedSeconds, int liveSeconds)
{
    QTemporaryDir dir;
    const QString configFile = dir.filePath(QStringLiteral("empty.conf"));
    QFile(configFile).open(QIODevice::WriteOnly);
    QSettings settings(dir.filePath(QStringLiteral("gui.ini")), QSettings::IniFormat);
    core::Options options(QStringLiteral("greenpulse"),
                          core::Options::Mqtt | core::Options::Influx | core::Options::Ledger);
    app::GuiSettings guiSettings(settings, options);
    settings.setValue(QStringLiteral("broker"), m_broker.url());
    settings.setValue(QStringLiteral("client-id"),
                      QStringLiteral("bench-gui-%1").arg(QCoreApplication::applicationPid()));
    int exitCode = 0;
    options.parse({QStringLiteral("greenpulse"), QStringLiteral("--config"), configFile,
                   QStringLiteral("--state-file"), QStringLiteral("none"),
                   // 1,000 hosts appear at once: a site that size lifts the new-id rate limit.
                   QStringLiteral("--max-new-ids-per-minute"), QStringLiteral("0")},
                  &exitCode, QProcessEnvironment());

    SteppedClock clock;
    core::Ledger ledger(guiSettings.ledgerConfig(), clock);
    core::SeriesStore series(2048, 4096); // as Components makes it
    auto mqtt = std::make_unique<app::SwappableMqttClient>(
        std::make_unique<core::MosquittoClient>(guiSettings.processorMqttOptions()));
    auto processor =
        std::make_unique<core::Processor>(ledger, *mqtt, clock, core::ProcessorOptions{});
    processor->setSeriesStore(&series);

    // The simulated hour, ending now: each second, one sample per host through
    // handleMessage(), then the processor's tick (stop() on a processor not yet started is
    // exactly tick() + a snapshot).
    const qint64 begin = static_cast<qint64>(sys::wallSeconds()) - simulatedSeconds;
    const PowerFeed history(hosts, jobs, begin);
    QElapsedTimer replay;
    replay.start();
    qint64 round = 0;
    for (; begin + round <= static_cast<qint64>(sys::wallSeconds()); ++round) {
        const qint64 second = begin + round;
        clock.set(second * kNs + kNs / 5);
        for (int h = 0; h < hosts; ++h) {
            processor->handleMessage(PowerFeed::topic(), history.payload(h, round));
        }
        clock.set(second * kNs + kNs / 2);
        processor->stop();
    }
    clock.followSystem();
    m_report.note(m_section, QStringLiteral("replayed %1 simulated seconds of %2 hosts (%3 "
                                            "jobs) in %4 s; %5 chart series")
                                 .arg(round)
                                 .arg(hosts)
                                 .arg(jobs)
                                 .arg(static_cast<double>(replay.elapsed()) / 1000.0, 0, 'f', 1)
                                 .arg(series.seriesCount()));
    m_report.note(
        m_section,
        QStringLiteral("chart series: %1 host power, %2 job energy")
            .arg(series.latest(core::serieskeys::prefix(core::serieskeys::Kind::Power)).size())
            .arg(series.latest(core::serieskeys::prefix(core::serieskeys::Kind::Kwh)).size()));
    if (series.droppedSeries() > 0) {
        // SeriesStore's bound on series (as Components makes it): the charts see only these.
        m_report.note(
            m_section,
            QStringLiteral("chart store full (%2 series): %1 points of further series refused")
                .arg(series.droppedSeries())
                .arg(series.seriesCount()));
    }

    app::Backend backend(std::move(mqtt),
                         std::make_unique<core::InfluxWriter>(core::InfluxOptions{}),
                         std::move(processor));
    app::JobController jobController(
        std::make_unique<core::MosquittoClient>(guiSettings.controlMqttOptions()));
    auto window = std::make_unique<app::MainWindow>(backend, series, jobController, guiSettings);
    window->show();
    backend.start();
    jobController.connectToBroker();
    if (!sys::waitUntil(
            [&] {
                auto s = backend.snapshot();
                return s && s->mqttState == core::ConnectionState::Connected;
            },
            10000)) {
        m_report.fail(m_section, QStringLiteral("the dashboard did not connect"));
        window->shutdown();
        return;
    }
    sys::spin(300);

    // Live: the same hosts at 1 Hz through the broker, from the second after the replay's last
    // (which may still be the present second: starting there would repeat its timestamps).
    const PowerFeed live(hosts, jobs,
                         std::max(begin + round, static_cast<qint64>(sys::wallSeconds())));
    StreamFeeder feeder(live, m_broker.port(), 1.0);
    feeder.start();
    sys::spin(2000); // settle: the first live samples close the replay's intervals

    auto measure = [&](const QString &label, const QString &suffix, int seconds, bool headline) {
        m_app.startMeasuring(window->charts());
        QElapsedTimer timer;
        timer.start();
        sys::spin(seconds * 1000);
        m_app.stopMeasuring();
        const double busy =
            static_cast<double>(m_app.busyNs()) / static_cast<double>(timer.nsecsElapsed());
        const double refreshMaxMs = static_cast<double>(m_app.refreshMaxNs()) / 1e6;
        const double refreshMeanMs = m_app.refreshes() > 0
                                         ? static_cast<double>(m_app.refreshTotalNs()) / 1e6 /
                                               static_cast<double>(m_app.refreshes())
                                         : 0;
        m_report.note(m_section, QStringLiteral("%1: %2 s live, %3 chart refreshes")
                                     .arg(label)
                                     .arg(seconds)
                                     .arg(m_app.refreshes()));
        m_report.add(m_section, QStringLiteral("GUI thread busy fraction") + suffix, busy,
                     QString(), headline ? m_section + QStringLiteral("_busy_fraction") : QString(),
                     headline ? Report::Goal::AtMost : Report::Goal::None, 0.25, 3);
        m_report.add(m_section, QStringLiteral("GUI thread CPU time / wall time") + suffix,
                     static_cast<double>(m_app.cpuNs()) / static_cast<double>(timer.nsecsElapsed()),
                     QString(), {}, Report::Goal::None, 0, 3);
        m_report.add(m_section, QStringLiteral("slowest chart refresh") + suffix, refreshMaxMs,
                     QStringLiteral("ms"),
                     headline ? m_section + QStringLiteral("_refresh_max_ms") : QString(),
                     headline ? Report::Goal::AtMost : Report::Goal::None, 50, 1);
        m_report.add(m_section, QStringLiteral("most CPU time of one chart refresh") + suffix,
                     static_cast<double>(m_app.refreshMaxCpuNs()) / 1e6, QStringLiteral("ms"), {},
                     Report::Goal::None, 0, 1);
        m_report.add(m_section, QStringLiteral("mean chart refresh") + suffix, refreshMeanMs,
                     QStringLiteral("ms"), {}, Report::Goal::None, 0, 1);
        m_report.add(m_section, QStringLiteral("slowest GUI event (incl. paint)") + suffix,
                     static_cast<double>(m_app.maxEventNs()) / 1e6, QStringLiteral("ms"), {},
                     Report::Goal::None, 0, 1);
        m_report.note(m_section,
                      QStringLiteral("slowest GUI event%1: %2").arg(suffix, m_app.maxEventText()));
        m_report.note(m_section,
                      QStringLiteral("most GUI CPU%1: %2")
                          .arg(suffix, m_app.topEventKinds(5).join(QStringLiteral("; "))));
    };
    measure(QStringLiteral("15-minute window (the default)"), QString(), liveSeconds, true);
    window->charts()->setWindowSeconds(3600);
    measure(QStringLiteral("1-hour window"), QStringLiteral(", 1 h window"),
            std::max(3, liveSeconds / 2), false);

    feeder.stop();
    const auto snapshot = backend.snapshot();
    if (snapshot && snapshot->rejected > 0) {
        m_report.fail(m_section, QStringLiteral("%1 samples rejected").arg(snapshot->rejected));
    }
    window->shutdown();
    window.reset();
}

} // namespace greenpulse::bench
