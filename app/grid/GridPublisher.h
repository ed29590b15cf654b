#pragma once

#include "base/Clock.h"
#include "protocol/Messages.h"

#include <QHash>
#include <QJsonObject>
#include <QObject>

namespace greenpulse::core {
class MqttClient;
}

namespace greenpulse::grid {

class GridCounters;

// Publishes readings on greenpulse/grid/<zone>/carbon_intensity, retained, QoS 1, and keeps the
// last one per zone: a reading equal to it (same value, timestamp, kind, estimated flag and
// source) is counted as unchanged and not sent again. The payload goes through the wire
// contract's decoder first: one it would reject is counted (rejected) and not sent.
class GridPublisher : public QObject
{
    Q_OBJECT
public:
    GridPublisher(core::MqttClient &client, GridCounters &counters, const core::Clock &clock,
                  QObject *parent = nullptr);

    bool offer(const core::GridIntensity &intensity); // true: published
    // {"<zone>": {"g_co2e_per_kwh": ..., "timestamp": ..., ...}} of the last values published.
    QJsonObject lastJson() const;

private:
    core::MqttClient &m_client;
    GridCounters &m_counters;
    const core::Clock &m_clock;
    QHash<QString, core::GridIntensity> m_last;
};

} // namespace greenpulse::grid
