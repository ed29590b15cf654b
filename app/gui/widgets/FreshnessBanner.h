#pragma once

#include <QFrame>

class QLabel;

namespace greenpulse::core {
struct ProcessorSnapshot;
} // namespace greenpulse::core

namespace greenpulse::app {

struct Freshness;

// A band across the top of the window, shown only while what it shows is not live or not whole:
// the processor is not connected to the broker ("values frozen since 19:25:12"), or another
// client uses one of our MQTT client ids (the broker keeps closing our connection for it).
// Where an operator looks, not only in the status bar.
class FreshnessBanner : public QFrame
{
    Q_OBJECT
public:
    explicit FreshnessBanner(QWidget *parent = nullptr);

    // `controlTakeover`: the job controls' client's takeover warning (empty: none).
    void setSnapshot(const core::ProcessorSnapshot &snapshot, const Freshness &freshness,
                     const QString &controlTakeover);
    QString text() const;

private:
    QLabel *m_text = nullptr;
};

} // namespace greenpulse::app
