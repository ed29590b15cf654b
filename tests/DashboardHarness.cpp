#include "DashboardHarness.h"

#include "TestSupport.h"
#include "protocol/Decode.h"
#include "protocol/Protocol.h"
#include "runtime/Backend.h"
#include "runtime/JobController.h"
#include "runtime/SnapshotSource.h"
#include "runtime/launchers/LaunchControl.h"
#include "runtime/launchers/LauncherOptions.h"
#include "widgets/JobsPanel.h"
#include "widgets/JobsTableModel.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFile>

namespace greenpulse::test {

Dashboard::Dashboard(const QString &brokerUrl, const QString &folder, const QStringList &extraArgs,
                     bool testClientId)
    : settings(QDir(folder).filePath(QStringLiteral("gui.ini")), QSettings::IniFormat),
      options(QStringLiteral("greenpulse"), core::Options::Mqtt | core::Options::Influx |
                                                core::Options::Ledger | core::Options::Follow),
      guiSettings(settings, options)
{
    if (!brokerUrl.isEmpty()) {
        settings.setValue(QStringLiteral("broker"), brokerUrl);
    }
    if (testClientId) {
        settings.setValue(QStringLiteral("client-id"),
                          QStringLiteral("gui-test-%1").arg(QCoreApplication::applicationPid()));
    }
    int exitCode = 0;
    // A clean environment and an empty config file: only these settings count.
    configPath = QDir(folder).filePath(QStringLiteral("empty.conf"));
    QFile config(configPath);
    if (!config.open(QIODevice::WriteOnly)) {
        return; // not parsed
    }
    config.close();
    const QStringList args =
        QStringList{QStringLiteral("greenpulse"), QStringLiteral("--config"), configPath,
                    QStringLiteral("--state-file"), QStringLiteral("none")} +
        extraArgs;
    app::addLauncherOptions(options);
    parsed = options.parse(args, &exitCode, QProcessEnvironment());
    core::ProcessorOptions processorOptions;
    processorOptions.snapshotIntervalMs = 100;
    if (parsed) {
        processorOptions.stateFile = options.stateFile(); // none, unless `extraArgs` name one
        processorOptions.staleAfterSeconds = options.doubleValue(core::opt::kStaleAfterS);
    }
    components = std::make_unique<app::Components>(guiSettings, processorOptions);
    window = std::make_unique<app::MainWindow>(components->source(), components->series,
                                               *components->jobs, guiSettings);
    window->setLaunchControl(*components->launch);
    window->setBackfill(*components->backfill);
    window->show();
    // Active, as a desktop's window manager makes a window the operator opens: keyboard shortcuts
    // (Ctrl+., Escape in the filter) go only to the active window. Offscreen every shown window
    // is; on Xvfb (tests/scripts/run-in-xvfb.sh) there is no window manager to do it.
    window->activateWindow();
    components->start();
}

Dashboard::~Dashboard()
{
    window->shutdown();
    window.reset();
    components.reset();
}

bool Dashboard::waitConnected(int timeoutMs)
{
    return waitUntil(
        [this] {
            auto s = components->source().snapshot();
            return s && s->mqttState == core::ConnectionState::Connected &&
                   components->jobs->state() == core::ConnectionState::Connected;
        },
        timeoutMs);
}

const core::JobSummary *Dashboard::job(const QString &id)
{
    app::JobsTableModel &model = window->jobsPanel()->model();
    return model.job(model.rowOf(id));
}

SamplePublisher::SamplePublisher(const QString &url)
{
    core::MqttOptions o;
    o.brokerUrl = url;
    o.clientId = QStringLiteral("gui-test-publisher");
    client = std::make_unique<core::MosquittoClient>(o);
    client->connectToBroker();
}

bool SamplePublisher::waitConnected()
{
    return waitUntil([this] { return client->state() == core::ConnectionState::Connected; }, 10000);
}

void SamplePublisher::power(const QString &host, double watts, qint64 atNs)
{
    core::PowerSample s;
    s.host = host;
    s.watts = watts;
    s.timestampNs = atNs ? atNs : nowNs();
    client->publish(core::topics::powerForHost(host), core::encode(s), 0);
}

void SamplePublisher::flow(const QString &host, double lpm, double tempC, qint64 atNs)
{
    core::FlowTempSample s;
    s.host = host;
    s.flowLpm = lpm;
    s.tempC = tempC;
    s.timestampNs = atNs ? atNs : nowNs();
    client->publish(core::topics::flowTempForHost(host), core::encode(s), 0);
}

void GuiTest::SetUp()
{
    ASSERT_TRUE(broker.start()) << qPrintable(broker.lastError());
    dashboard = std::make_unique<Dashboard>(broker.url(), dir.path());
    ASSERT_TRUE(dashboard->parsed);
    ASSERT_TRUE(dashboard->waitConnected()) << "dashboard did not connect to the broker";
}

QList<core::ControlMessage> GuiTest::controls(MosquittoSubscriber &subscriber)
{
    QList<core::ControlMessage> out;
    for (const auto &[topic, payload] : subscriber.messages()) {
        if (topic != core::topics::kControl) {
            continue;
        }
        const core::Decoded decoded = core::decode(topic, payload, nowNs());
        if (const auto *message = std::get_if<core::ControlMessage>(&decoded)) {
            out.append(*message);
        } else {
            ADD_FAILURE() << "invalid control message: " << payload.constData();
        }
    }
    return out;
}

} // namespace greenpulse::test
