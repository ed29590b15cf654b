#pragma once

#include "mqtt/MqttClient.h"

#include <QStatusBar>

class QLabel;

namespace greenpulse::core {
struct ProcessorSnapshot;
} // namespace greenpulse::core

namespace greenpulse::app {

// MQTT state (with the reason when not connected), InfluxDB state, messages per second,
// rejected messages, dropped publishes, what was lost or not saved, and the hosts' clocks.
class StatusBar : public QStatusBar
{
    Q_OBJECT
public:
    explicit StatusBar(QWidget *parent = nullptr);

    void setSnapshot(const core::ProcessorSnapshot &snapshot);
    // The window's own connection, used to publish job controls.
    void setControlState(core::ConnectionState state, const QString &error, quint64 dropped);

    QString mqttText() const;
    QString influxText() const;
    QString rateText() const;
    QString lossesText() const;
    QString lossesToolTip() const;
    QString clocksText() const;
    QString clocksToolTip() const;
    QString powerText() const;
    QString powerToolTip() const;

private:
    void setLosses(const core::ProcessorSnapshot &snapshot);
    void setClocks(const core::ProcessorSnapshot &snapshot);
    void setPowerSources(const core::ProcessorSnapshot &snapshot);

    QLabel *m_mqtt = nullptr;
    QLabel *m_influx = nullptr;
    QLabel *m_rate = nullptr;
    QLabel *m_rejected = nullptr;
    QLabel *m_dropped = nullptr;
    QLabel *m_losses = nullptr; // what was lost or not saved, with counts
    QLabel *m_clocks = nullptr; // hosts whose clock is off, with their offsets
    QLabel *m_power = nullptr;  // measured or simulated, by which sources; breakdown on hover
    quint64 m_processorDropped = 0;
    quint64 m_controlDropped = 0;
    core::ConnectionState m_controlState = core::ConnectionState::Disconnected;
    QString m_controlError;
};

} // namespace greenpulse::app
