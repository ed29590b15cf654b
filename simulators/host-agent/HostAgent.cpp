#include "HostAgent.h"

#include "PublishLoop.h"
#include "base/Logging.h"
#include "mqtt/MqttClient.h"
#include "sources/PowerMeter.h"

#include <QRandomGenerator>

namespace greenpulse::sim {

HostAgent::HostAgent(core::MqttClient &client, Settings settings, QRandomGenerator &random,
                     const core::Clock &clock, QObject *parent)
    : HostAgent(client, std::move(settings), static_cast<PowerMeter *>(nullptr), clock, parent)
{
    std::vector<std::unique_ptr<PowerSource>> sources;
    sources.push_back(std::make_unique<SimSource>([this] { return m_tracker.isBusy(); }, random));
    m_ownMeter = std::make_unique<PowerMeter>(std::move(sources), QStringLiteral("sim"));
    m_meter = m_ownMeter.get();
}

HostAgent::HostAgent(core::MqttClient &client, Settings settings, PowerMeter &meter,
                     const core::Clock &clock, QObject *parent)
    : HostAgent(client, std::move(settings), &meter, clock, parent)
{}

HostAgent::HostAgent(core::MqttClient &client, Settings settings, PowerMeter *meter,
                     const core::Clock &clock, QObject *parent)
    : QObject(parent), m_client(client), m_settings(std::move(settings)), m_clock(clock),
      m_tracker(m_settings.host), m_meter(meter),
      m_loop(new PublishLoop(
          client, m_settings.intervalMs, m_settings.count, [this] { publishOne(); }, this))
{
    connect(m_loop, &PublishLoop::finished, this, &HostAgent::finished);
    connect(&client, &core::MqttClient::messageReceived, this, &HostAgent::onMessage);
    m_graceTimer.setSingleShot(true);
    connect(&m_graceTimer, &QTimer::timeout, this, &HostAgent::beginPublishing);
}

HostAgent::~HostAgent() = default;

core::OptionSpec HostAgent::zoneOptionSpec()
{
    return core::OptionSpec::text(
        QStringLiteral("zone"), QStringLiteral("code"),
        QStringLiteral("Grid zone this host draws its electricity from (e.g. DE, GB-13, "
                       "US-CAL-CISO), sent as \"zone\" in every power sample; the processor "
                       "applies that zone's carbon intensity. Default: none (the processor's "
                       "own mapping decides)."));
}

std::optional<QString> HostAgent::zoneProblem(const QString &host, const QString &zone)
{
    // The decoder is the one judge of what the processor accepts: a sample it would reject for
    // the zone is refused here, before any is sent.
    core::PowerSample probe;
    probe.host = host;
    probe.zone = zone;
    probe.timestampNs = core::fromSeconds(1);
    const core::Decoded decoded =
        core::decode(core::topics::powerForHost(host), core::encode(probe), probe.timestampNs);
    if (const auto *rejection = std::get_if<core::Rejection>(&decoded)) {
        return rejection->detail;
    }
    return std::nullopt;
}

core::PowerSample HostAgent::sample(core::TimeNs nowNs)
{
    core::PowerSample sample;
    sample.host = m_settings.host;
    sample.jobId = m_tracker.currentJobId();
    const Measurement measurement = m_meter->measure(nowNs);
    if (!measurement.errors.isEmpty() && m_readErrorLog.allow()) {
        qCWarning(lcSim).noquote()
            << "power not read:" << measurement.errors.join(QStringLiteral("; "))
            << QStringLiteral("(%1 more such samples held back)").arg(m_readErrorLog.suppressed());
    }
    sample.watts = measurement.watts;
    sample.timestampNs = nowNs;
    sample.source = measurement.sources.join(QLatin1Char(','));
    sample.zone = m_settings.zone;
    if (measurement.measured) { // simulated power never poses as a measurement
        // The meter's own monotonic counter: what the ledger integrates (docs/accounting.md,
        // "Energy counters"), so a lost message loses no energy.
        sample.energyJ = measurement.energyJ;
        sample.counterId = measurement.counterId;
        for (const ComponentMeasurement &c : measurement.components) {
            sample.components.push_back({c.name, c.watts, c.energyJ, c.uuid});
        }
    }
    return sample;
}

void HostAgent::start()
{
    m_client.subscribe(QByteArray(core::topics::kControl), 1);
    m_client.subscribe(QByteArray(core::topics::kUserControlPrefix) + '+', 1);
    m_client.subscribe(QByteArray(core::topics::kOperatorsControl), 1);
    m_client.subscribe(QByteArray(core::topics::kJobStatePrefix) + '#', 1);
    // Wait for the retained job state before the first sample, so an agent started mid-job does
    // not report the host idle; but do not wait for a broker that is down: publish (queued) then.
    connect(&m_client, &core::MqttClient::connected, this, [this] {
        if (!m_loop->isRunning() && !m_stopped) {
            m_graceTimer.start(m_settings.retainedGraceMs);
        }
    });
    m_graceTimer.start(m_settings.connectGraceMs);
    m_meter->start(m_clock.nowNs()); // the first sample's interval begins here
    m_client.connectToBroker();
}

void HostAgent::stop()
{
    m_stopped = true;
    m_graceTimer.stop();
    m_loop->stop();
}

void HostAgent::beginPublishing()
{
    if (m_stopped || m_loop->isRunning() || m_loop->published() > 0) {
        return;
    }
    if (m_client.state() != core::ConnectionState::Connected) {
        qCWarning(lcSim) << "no broker yet: publishing without knowing which jobs run";
    }
    m_loop->start();
}

void HostAgent::onMessage(const QByteArray &topic, const QByteArray &payload)
{
    const QString before = m_tracker.currentJobId();
    if (!m_tracker.handleMessage(topic, payload, m_clock.nowNs())) {
        return;
    }
    const QString now = m_tracker.currentJobId();
    if (now != before) {
        qCInfo(lcSim).noquote() << m_settings.host << "is now"
                                << (now.isEmpty() ? QStringLiteral("idle")
                                                  : QStringLiteral("running ") + now);
    }
}

void HostAgent::publishOne()
{
    core::PowerSample s = sample(m_clock.nowNs());
    s.seq = m_loop->sequence();
    // The per-host topic: the shipped ACL lets an agent account write only its own host's.
    m_client.publish(core::topics::powerForHost(s.host), core::encode(s), 1, false);
}

} // namespace greenpulse::sim
