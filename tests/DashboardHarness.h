#pragma once

// The whole dashboard as main() builds it, on a private broker and private settings, a publisher
// of power and coolant samples, and the GuiTest fixture: shared by the widget tests.

#include "MosquittoBroker.h"
#include "Samples.h" // nowNs()
#include "mqtt/MosquittoClient.h"
#include "options/Options.h"
#include "protocol/Messages.h"
#include "runtime/Components.h"
#include "runtime/GuiSettings.h"
#include "widgets/MainWindow.h"

#include <QList>
#include <QSettings>
#include <QTemporaryDir>
#include <gtest/gtest.h>
#include <memory>

namespace greenpulse::test {

class Dashboard
{
public:
    // Settings in `folder`/gui.ini, and an empty config file `folder`/empty.conf, so that only
    // these settings count. `extraArgs` go on the dashboard's command line, e.g.
    // {"--influx-url", url}.
    // `testClientId`: a client id of its own in the settings (gui-test-<pid>); false leaves it
    // unset, so the dashboard picks its default (core/options/ClientIds.h).
    Dashboard(const QString &brokerUrl, const QString &folder, const QStringList &extraArgs = {},
              bool testClientId = true);
    ~Dashboard();

    // Both MQTT clients (the processor's and the job controls') are connected.
    bool waitConnected(int timeoutMs = 10000);
    // The jobs table's row for `id`, or null.
    const core::JobSummary *job(const QString &id);

    QString configPath; // the empty config file
    QSettings settings;
    core::Options options;
    app::GuiSettings guiSettings;
    bool parsed = false;
    std::unique_ptr<app::Components> components;
    std::unique_ptr<app::MainWindow> window;
};

// Publishes power (and flow/temperature) samples from the test thread.
class SamplePublisher
{
public:
    explicit SamplePublisher(const QString &url);
    bool waitConnected();
    void power(const QString &host, double watts, qint64 atNs = 0);
    void flow(const QString &host, double lpm, double tempC, qint64 atNs = 0);

    std::unique_ptr<core::MosquittoClient> client;
};

// A dashboard on its own broker, connected, with its settings in a temporary folder.
class GuiTest : public ::testing::Test
{
protected:
    void SetUp() override;
    void TearDown() override { dashboard.reset(); }

    // The messages `subscriber` got on greenpulse/control, decoded (a failure for any invalid).
    static QList<core::ControlMessage> controls(MosquittoSubscriber &subscriber);

    QTemporaryDir dir;
    MosquittoBroker broker;
    std::unique_ptr<Dashboard> dashboard;
};

} // namespace greenpulse::test
