// Freshness in the window (docs/dashboard.md, "Freshness"), offscreen against a real mosquitto
// and real host agents: a killed agent's host is counted silent in the header, greyed in the host
// list, its running job flagged and its coverage falling; a broker outage shows the banner and
// freezes the power figure; a second window picks its own client id, and a client that takes our
// id over is named.
#include "DashboardHarness.h"
#include "TestSupport.h"
#include "mqtt/MosquittoClient.h"
#include "pipeline/ProcessorSnapshot.h"
#include "runtime/Backend.h"
#include "runtime/JobController.h"
#include "widgets/ControlsPanel.h"
#include "widgets/FreshnessBanner.h"
#include "widgets/HeaderCards.h"
#include "widgets/JobsPanel.h"
#include "widgets/JobsTableModel.h"
#include "widgets/MainWindow.h"

#include <QComboBox>
#include <QDir>
#include <QLineEdit>
#include <QTemporaryDir>
#include <gtest/gtest.h>
#include <memory>

using namespace greenpulse;
using test::Dashboard;
using test::MosquittoBroker;
using test::waitUntil;

namespace {

// A dashboard whose hosts go silent after 2 s, with gaps over 1 s not integrated.
class FreshnessTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        ASSERT_TRUE(broker.start()) << qPrintable(broker.lastError());
        dashboard = std::make_unique<Dashboard>(
            broker.url(), dir.path(),
            QStringList{QStringLiteral("--stale-after-s"), QStringLiteral("2"),
                        QStringLiteral("--max-gap-s"), QStringLiteral("1")});
        ASSERT_TRUE(dashboard->parsed);
        ASSERT_TRUE(dashboard->waitConnected());
    }
    void TearDown() override { dashboard.reset(); }

    // A real host agent publishing as `host` every 200 ms.
    std::unique_ptr<test::Child> agent(const QString &host)
    {
        auto child = std::make_unique<test::Child>();
        EXPECT_TRUE(
            child->start(test::binary(QStringLiteral("greenpulse-host-agent")),
                         {QStringLiteral("--broker"), broker.url(), QStringLiteral("--host"), host,
                          QStringLiteral("--interval-ms"), QStringLiteral("200")}));
        return child;
    }
    app::MainWindow &window() { return *dashboard->window; }
    QString powerDetail() { return window().cards()->power()->detail(); }
    // <build>/screenshots/<name>.png, for the eye and the docs.
    void screenshot(const QString &name)
    {
        const QString folder = QStringLiteral(GREENPULSE_BUILD_DIR "/screenshots");
        ASSERT_TRUE(QDir().mkpath(folder));
        window().resize(1280, 720);
        test::spin(300);
        EXPECT_TRUE(
            window().grab().save(folder + QLatin1Char('/') + name + QStringLiteral(".png")));
    }

    QTemporaryDir dir;
    MosquittoBroker broker;
    std::unique_ptr<Dashboard> dashboard;
};

} // namespace

TEST_F(FreshnessTest, AKilledHostAgentIsCountedGreyedAndItsJobFlaggedWithFallingCoverage)
{
    auto gpu01 = agent(QStringLiteral("gpu-01"));
    auto gpu05 = agent(QStringLiteral("gpu-05"));
    ASSERT_TRUE(
        waitUntil([&] { return powerDetail() == QStringLiteral("2 hosts reporting"); }, 15000))
        << qPrintable(powerDetail());

    app::MainWindow &w = window();
    QComboBox *hosts = w.controls()->hostBox();
    hosts->setCurrentIndex(hosts->findData(QStringLiteral("gpu-05")));
    w.controls()->nameEdit()->setText(QStringLiteral("Train"));
    const QString id = w.startJob();
    ASSERT_FALSE(id.isEmpty());
    ASSERT_TRUE(
        waitUntil([&] { return dashboard->job(id) && dashboard->job(id)->coverage > 0.9; }, 10000));
    app::JobsTableModel &model = w.jobsPanel()->model();
    const QModelIndex status = model.index(model.rowOf(id), app::JobsTableModel::StatusColumn);
    EXPECT_EQ(status.data().toString(), QStringLiteral("running"));

    gpu05->kill(); // SIGKILL: no goodbye, its samples just stop
    ASSERT_TRUE(waitUntil(
        [&] {
            return powerDetail().startsWith(QStringLiteral("1 of 2 reporting, gpu-05 silent for"));
        },
        10000))
        << qPrintable(powerDetail());
    EXPECT_TRUE(w.cards()->power()->isLive()) << "gpu-01 still reports";
    EXPECT_TRUE(w.cards()->power()->toolTip().contains(QStringLiteral("gpu-05: silent for")))
        << qPrintable(w.cards()->power()->toolTip());
    EXPECT_TRUE(w.banner()->text().isEmpty()) << "the broker is fine";

    // Its job is flagged, the host greyed in the host list.
    ASSERT_TRUE(waitUntil(
        [&] {
            return model.index(model.rowOf(id), app::JobsTableModel::StatusColumn)
                       .data()
                       .toString() == QStringLiteral("running, 1 silent");
        },
        5000));
    EXPECT_TRUE(model.index(model.rowOf(id), app::JobsTableModel::StatusColumn)
                    .data(Qt::ToolTipRole)
                    .toString()
                    .contains(QStringLiteral("gpu-05 silent for")));
    EXPECT_TRUE(
        hosts->itemData(hosts->findData(QStringLiteral("gpu-05")), Qt::ForegroundRole).isValid());
    EXPECT_FALSE(
        hosts->itemData(hosts->findData(QStringLiteral("gpu-01")), Qt::ForegroundRole).isValid());

    // Coverage is counted up to now: it falls while the host stays silent.
    const double before = dashboard->job(id)->coverage;
    test::spin(1500);
    const double after = dashboard->job(id)->coverage;
    EXPECT_LT(after, before) << "coverage frozen at " << before;
    EXPECT_GT(dashboard->job(id)->silentSeconds, 1.0);
    EXPECT_TRUE(dashboard->job(id)->running);
    screenshot(QStringLiteral("freshness-silent-host"));

    // The agent comes back: counted again.
    gpu05 = agent(QStringLiteral("gpu-05"));
    ASSERT_TRUE(
        waitUntil([&] { return powerDetail() == QStringLiteral("2 hosts reporting"); }, 15000))
        << qPrintable(powerDetail());
}

TEST_F(FreshnessTest, ABrokerOutageShowsTheBannerAndFreezesThePower)
{
    auto gpu01 = agent(QStringLiteral("gpu-01"));
    ASSERT_TRUE(
        waitUntil([&] { return powerDetail() == QStringLiteral("1 host reporting"); }, 15000))
        << qPrintable(powerDetail());
    app::MainWindow &w = window();
    EXPECT_TRUE(w.banner()->text().isEmpty());
    EXPECT_TRUE(w.cards()->power()->isLive());

    broker.stop();
    ASSERT_TRUE(waitUntil(
        [&] { return w.banner()->text().contains(QStringLiteral("values frozen since")); }, 10000))
        << qPrintable(w.banner()->text());
    EXPECT_TRUE(w.banner()->isVisibleTo(&w));
    EXPECT_TRUE(powerDetail().startsWith(QStringLiteral("frozen since")))
        << qPrintable(powerDetail());
    EXPECT_FALSE(w.cards()->power()->isLive()) << "the total must not look live";
    // Past the silence bound the figure stays the last one seen (not a decay to 0 W).
    test::spin(2500);
    EXPECT_NE(w.cards()->power()->value(), QStringLiteral("0 W"));
    EXPECT_FALSE(w.cards()->power()->isLive());
    screenshot(QStringLiteral("freshness-broker-outage"));

    ASSERT_TRUE(broker.start());
    ASSERT_TRUE(waitUntil([&] { return w.banner()->text().isEmpty(); }, 20000))
        << qPrintable(w.banner()->text());
    EXPECT_FALSE(w.banner()->isVisibleTo(&w));
    ASSERT_TRUE(
        waitUntil([&] { return powerDetail() == QStringLiteral("1 host reporting"); }, 15000))
        << qPrintable(powerDetail());
    EXPECT_TRUE(w.cards()->power()->isLive());
}

TEST(GuiClientIds, TwoDashboardsWithoutAClientIdDoNotKickEachOther)
{
    QTemporaryDir dirA;
    QTemporaryDir dirB;
    MosquittoBroker broker;
    ASSERT_TRUE(broker.start()) << qPrintable(broker.lastError());
    Dashboard a(broker.url(), dirA.path(), {}, false);
    Dashboard b(broker.url(), dirB.path(), {}, false);
    ASSERT_TRUE(a.parsed && b.parsed);
    ASSERT_TRUE(a.waitConnected());
    ASSERT_TRUE(b.waitConnected());
    test::spin(3000);
    const auto sa = a.components->backend->snapshot();
    const auto sb = b.components->backend->snapshot();
    EXPECT_NE(sa->mqttClientId, sb->mqttClientId);
    EXPECT_EQ(sa->mqttState, core::ConnectionState::Connected);
    EXPECT_EQ(sb->mqttState, core::ConnectionState::Connected);
    EXPECT_EQ(sa->mqttTakeovers + sb->mqttTakeovers, 0u);
    EXPECT_TRUE(a.window->banner()->text().isEmpty()) << qPrintable(a.window->banner()->text());
    EXPECT_TRUE(b.window->banner()->text().isEmpty()) << qPrintable(b.window->banner()->text());
}

TEST(GuiClientIds, AClientThatTakesOurIdOverIsNamedInTheBanner)
{
    QTemporaryDir dir;
    MosquittoBroker broker;
    ASSERT_TRUE(broker.start()) << qPrintable(broker.lastError());
    Dashboard d(broker.url(), dir.path());
    ASSERT_TRUE(d.parsed);
    ASSERT_TRUE(d.waitConnected());
    const QString id = d.components->backend->snapshot()->mqttClientId;
    core::MqttOptions o;
    o.brokerUrl = broker.url();
    o.clientId = id; // the same id, given explicitly
    o.reconnectMinMs = 100;
    o.reconnectMaxMs = 1000;
    core::MosquittoClient intruder(o);
    intruder.connectToBroker();
    ASSERT_TRUE(waitUntil(
        [&] {
            return d.window->banner()->text().contains(
                QStringLiteral("Another client uses the processor's MQTT client id ") + id);
        },
        30000))
        << qPrintable(d.window->banner()->text());
    EXPECT_GE(d.components->backend->snapshot()->mqttTakeovers, 1u);
}
