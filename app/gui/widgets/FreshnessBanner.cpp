#include "widgets/FreshnessBanner.h"

#include "pipeline/ProcessorSnapshot.h"
#include "runtime/Format.h"
#include "runtime/Freshness.h"

#include <QHBoxLayout>
#include <QLabel>

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
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(10, 6, 10, 6);
    layout->addWidget(m_text);
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
    const QString text = lines.join(QLatin1Char('\n'));
    if (m_text->text() != text) {
        m_text->setText(text);
    }
    setVisible(!text.isEmpty());
}

QString FreshnessBanner::text() const
{
    return m_text->text();
}

} // namespace greenpulse::app
