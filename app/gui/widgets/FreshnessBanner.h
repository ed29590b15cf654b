#pragma once

#include "mqtt/MqttClient.h"

#include <QFrame>
#include <QStringList>

class QLabel;
class QToolButton;

namespace greenpulse::core {
struct ProcessorSnapshot;
} // namespace greenpulse::core

namespace greenpulse::app {

struct Freshness;

// A band across the top of the window, shown only while what it shows is not live or not whole:
// the processor is not connected to the broker ("values frozen since 19:25:12"), or another
// client uses one of our MQTT client ids (the broker keeps closing our connection for it); and
// the errors an operator must see: the job controls not connected, InfluxDB refusing or
// unreachable, the state file not saved, while they last, and errors reported once (the
// processor did not start) until dismissed. Where an operator looks, not only in the status bar.
class FreshnessBanner : public QFrame
{
    Q_OBJECT
public:
    explicit FreshnessBanner(QWidget *parent = nullptr);

    // `controlTakeover`: the job controls' client's takeover warning (empty: none).
    void setSnapshot(const core::ProcessorSnapshot &snapshot, const Freshness &freshness,
                     const QString &controlTakeover);
    // The job controls' own connection (the window publishes starts and stops on it).
    void setControlState(core::ConnectionState state, const QString &error);
    // An error reported once: shown until the banner's Dismiss.
    void showError(const QString &text);
    void dismissErrors();
    QString text() const;
    QToolButton *dismissButton() const { return m_dismiss; }

private:
    void render();

    QLabel *m_text = nullptr;
    QToolButton *m_dismiss = nullptr;
    QStringList m_conditions; // from the last snapshot, while they last
    QStringList m_errors;     // reported once, until dismissed
    core::ConnectionState m_controlState = core::ConnectionState::Connected;
    QString m_controlError;
};

} // namespace greenpulse::app
