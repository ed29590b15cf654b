#pragma once

#include "mqtt/MqttClient.h"

#include <QStatusBar>
#include <QTimer>

class QLabel;

namespace greenpulse::core {
struct ProcessorSnapshot;
} // namespace greenpulse::core

namespace greenpulse::app {

// MQTT state (with the reason when not connected), InfluxDB state, messages per second,
// rejected messages, dropped publishes, what was lost or not saved, and the hosts' clocks: all
// permanent fields, on the right. Messages go in a field of their own on the left, elided to the
// room left (the whole text on hover), so none hides or moves an indicator.
class StatusBar : public QStatusBar
{
    Q_OBJECT
public:
    explicit StatusBar(QWidget *parent = nullptr);

    // These hide QStatusBar's (not virtual): its message covers the normal widgets. Through a
    // StatusBar, a message shows in the message field for `timeoutMs` (0: until the next).
    void showMessage(const QString &text, int timeoutMs = 0);
    void clearMessage();
    QString currentMessage() const { return m_messageText; }
    QLabel *messageField() const { return m_message; }
    QLabel *mqttField() const { return m_mqtt; }
    QLabel *influxField() const { return m_influx; }

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

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void elideMessage();
    void setLosses(const core::ProcessorSnapshot &snapshot);
    void setClocks(const core::ProcessorSnapshot &snapshot);
    void setPowerSources(const core::ProcessorSnapshot &snapshot);

    QLabel *m_message = nullptr;
    QString m_messageText; // whole; the field shows it elided
    QTimer m_messageTimer;
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
