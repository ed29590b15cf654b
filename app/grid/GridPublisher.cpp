#include "GridPublisher.h"

#include "GridCounters.h"
#include "GridLogging.h"
#include "mqtt/MqttClient.h"
#include "protocol/Protocol.h"
#include "providers/IsoTime.h"

#include <QJsonDocument>

namespace greenpulse::grid {

namespace {

bool sameReading(const core::GridIntensity &a, const core::GridIntensity &b)
{
    return a.gCo2ePerKwh == b.gCo2ePerKwh && a.timestampNs == b.timestampNs && a.kind == b.kind &&
           a.estimated == b.estimated && a.source == b.source;
}

} // namespace

GridPublisher::GridPublisher(core::MqttClient &client, GridCounters &counters,
                             const core::Clock &clock, QObject *parent)
    : QObject(parent), m_client(client), m_counters(counters), m_clock(clock)
{}

bool GridPublisher::offer(const core::GridIntensity &intensity)
{
    const auto last = m_last.constFind(intensity.zone);
    if (last != m_last.cend() && sameReading(*last, intensity)) {
        m_counters.countUnchanged();
        qCDebug(lcGrid).noquote() << intensity.zone << "unchanged";
        return false;
    }
    const QByteArray topic = core::topics::gridCarbonIntensity(intensity.zone);
    const QByteArray payload = core::encode(intensity);
    const core::Decoded check = core::decode(topic, payload, m_clock.nowNs());
    if (const auto *rejection = std::get_if<core::Rejection>(&check)) {
        m_counters.countError(ProviderError::Rejected);
        qCWarning(lcGrid).noquote()
            << QStringLiteral("%1: not published: %2 (%3)")
                   .arg(intensity.zone, rejection->detail, QString::fromUtf8(payload));
        return false;
    }
    m_client.publish(topic, payload, 1, true);
    m_counters.countPublished();
    m_last.insert(intensity.zone, intensity);
    qCInfo(lcGrid).noquote() << QStringLiteral("%1: %2 g/kWh from %3 (%4, %5%6)")
                                    .arg(intensity.zone)
                                    .arg(intensity.gCo2ePerKwh)
                                    .arg(isoTime(intensity.timestampNs), intensity.source,
                                         QLatin1String(core::intensityKindName(intensity.kind)),
                                         intensity.estimated ? QStringLiteral(", estimated")
                                                             : QString());
    return true;
}

QJsonObject GridPublisher::lastJson() const
{
    QJsonObject zones;
    for (auto it = m_last.cbegin(); it != m_last.cend(); ++it) {
        zones[it.key()] = QJsonDocument::fromJson(core::encode(it.value())).object();
    }
    return zones;
}

} // namespace greenpulse::grid
