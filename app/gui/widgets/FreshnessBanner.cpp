#include "widgets/FreshnessBanner.h"

#include "influx/InfluxStatus.h"
#include "pipeline/ProcessorSnapshot.h"
#include "runtime/Format.h"
#include "runtime/Freshness.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QToolButton>

namespace greenpulse::app {

FreshnessBanner::FreshnessBanner(QWidget *parent) : QFrame(parent)
{
    setObjectName(QStringLiteral("freshnessBanner"));
    setFrameShape(QFrame::StyledPanel);
    setAutoFillBackground(true);
    QPalette p = palette();
    p.setColor(QPalette::Window, QColor(0xfd, 0xec, 0xc8)); // amber, readable in both themes
    p.setColor(QPalette::WindowText, QColor(0x5c, 0x3b, 0x00));
    setPalette(p);
    m_text = new QLabel(this);
    m_text->setWordWrap(true);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont bold = m_text->font();
    bold.setBold(true);
    m_text->setFont(bold);
    m_dismiss = new QToolButton(this);
    m_dismiss->setObjectName(QStringLiteral("dismissErrors"));
    m_dismiss->setText(tr("Dismiss"));
    m_dismiss->setToolTip(tr("Hide the errors reported once (what still holds stays)"));
    m_dismiss->setAutoRaise(true);
    m_dismiss->hide();
    connect(m_dismiss, &QToolButton::clicked, this, &FreshnessBanner::dismissErrors);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(10, 6, 10, 6);
    layout->addWidget(m_text, 1);
    layout->addWidget(m_dismiss, 0, Qt::AlignTop);
    hide();
}

void FreshnessBanner::setSnapshot(const core::ProcessorSnapshot &s, const Freshness &freshness,
                                  const QString &controlTakeover)
{
    QStringList lines;
    // The first attempt (Connecting) is no outage yet; any later state without a connection is.
    if (!freshness.connected && s.mqttState != core::ConnectionState::Connecting) {
        const QString why =
            s.mqttError.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(s.mqttError);
        lines << (freshness.frozenSinceNs > 0
                      ? tr("Not connected to the broker%1: values frozen since %2")
                            .arg(why, format::localTime(freshness.frozenSinceNs))
                      : tr("Not connected to the broker%1: no live values yet").arg(why));
    }
    if (!s.mqttTakeover.isEmpty()) {
        lines << tr("Another client uses the processor's MQTT client id %1: both lose messages. "
                    "Give each instance its own --client-id, or leave it unset.")
                     .arg(s.mqttClientId);
    }
    if (!controlTakeover.isEmpty()) {
        lines << tr("Job controls: %1").arg(controlTakeover);
    }
    if (freshness.connected && (m_controlState == core::ConnectionState::Reconnecting ||
                                m_controlState == core::ConnectionState::Error)) {
        const QString why =
            m_controlError.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(m_controlError);
        lines << tr("Job controls not connected to the broker%1: Start and Stop wait until they "
                    "are, Run demo does not start")
                     .arg(why);
    }
    const QString influxWhy =
        s.influx.lastError.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(s.influx.lastError);
    if (s.influx.state == core::InfluxStatus::State::AuthError) {
        lines << tr("InfluxDB refuses the credentials%1: nothing is written until they change "
                    "(File ▸ Settings)")
                     .arg(influxWhy);
    } else if (s.influx.state == core::InfluxStatus::State::Spooling) {
        lines << tr("InfluxDB not reachable%1: %2 points wait in the spool")
                     .arg(influxWhy, QLocale().toString(s.influx.pointsQueued));
    }
    if (!s.stateSaveError.isEmpty()) {
        lines << tr("State file not saved: %1").arg(s.stateSaveError);
    }
    m_conditions = lines;
    render();
}

void FreshnessBanner::setControlState(core::ConnectionState state, const QString &error)
{
    m_controlState = state;
    m_controlError = error;
}

void FreshnessBanner::showError(const QString &text)
{
    if (!m_errors.contains(text)) {
        m_errors << text;
    }
    render();
}

void FreshnessBanner::dismissErrors()
{
    m_errors.clear();
    render();
}

void FreshnessBanner::render()
{
    const QString text = (m_conditions + m_errors).join(QLatin1Char('\n'));
    if (m_text->text() != text) {
        m_text->setText(text);
    }
    m_dismiss->setVisible(!m_errors.isEmpty());
    setVisible(!text.isEmpty());
}

QString FreshnessBanner::text() const
{
    return m_text->text();
}

} // namespace greenpulse::app
