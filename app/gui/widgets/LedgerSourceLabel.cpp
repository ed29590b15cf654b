#include "widgets/LedgerSourceLabel.h"

#include "pipeline/ProcessorSnapshot.h"
#include "protocol/Topics.h"

#include <QDateTime>

namespace greenpulse::app {

LedgerSourceLabel::LedgerSourceLabel(const QString &followed, QWidget *parent)
    : QLabel(parent), m_followed(followed)
{
    setObjectName(QStringLiteral("ledgerSource"));
    setText(describe(m_followed, nullptr));
    setToolTip(m_followed.isEmpty()
                   ? tr("This window runs its own processor and computes the totals itself")
                   : tr("Totals as processor %1 computed them, from its ledger on %2#")
                         .arg(m_followed, QString::fromUtf8(core::topics::ledgerRoot(m_followed))));
}

QString LedgerSourceLabel::windowTitle(const QString &followed)
{
    return followed.isEmpty() ? tr("GreenPulse — energy, carbon and water per AI job")
                              : tr("GreenPulse — following processor %1").arg(followed);
}

QString LedgerSourceLabel::describe(const QString &followed,
                                    const core::ProcessorSnapshot *snapshot)
{
    if (followed.isEmpty()) {
        return tr("Own processor (desktop)");
    }
    const QString following = tr("Following processor %1").arg(followed);
    if (!snapshot || snapshot->followReceivedNs == 0) {
        return tr("%1 — waiting for its ledger").arg(following);
    }
    if (!snapshot->followSilent) {
        return following;
    }
    const QString since = QDateTime::fromMSecsSinceEpoch(snapshot->followReceivedNs / 1'000'000)
                              .toString(QStringLiteral("HH:mm:ss"));
    if (snapshot->followStopped) {
        return tr("%1 — stopped at %2").arg(following, since);
    }
    if (snapshot->followOffline) {
        return tr("%1 — offline, values frozen since %2").arg(following, since);
    }
    return tr("%1 — silent, values frozen since %2").arg(following, since);
}

void LedgerSourceLabel::setSnapshot(const core::ProcessorSnapshot &snapshot)
{
    const QString text = describe(m_followed, &snapshot);
    if (text != this->text()) {
        setText(text);
    }
    // Warning colour while the followed ledger is silent.
    const bool warn = !m_followed.isEmpty() && snapshot.followSilent;
    setStyleSheet(warn ? QStringLiteral("color: #d9822b; font-weight: bold;") : QString());
}

} // namespace greenpulse::app
