#include "widgets/ControlsPanel.h"

#include "accounting/LedgerTypes.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpressionValidator>
#include <QShortcut>

namespace greenpulse::app {

ControlsPanel::ControlsPanel(QWidget *parent) : QWidget(parent)
{
    m_name = new QLineEdit(this);
    m_name->setPlaceholderText(tr("Job name, e.g. Llama_Finetune"));
    m_name->setValidator(new QRegularExpressionValidator(
        QRegularExpression(QStringLiteral("[A-Za-z0-9_.\\-]{0,120}")), m_name));
    m_name->setToolTip(tr("Letters, digits, '_', '.' and '-'. The job id adds the start time "
                          "and a random suffix."));
    m_name->setMinimumWidth(200);

    m_host = new QComboBox(this);
    m_host->addItem(tr("All hosts"), QString());
    m_host->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_host->setMinimumWidth(140);
    m_host->setToolTip(tr("The host the job runs on (hosts seen so far)"));

    m_start = new QPushButton(tr("Start job"), this);
    m_start->setToolTip(tr("Publish a job start (Ctrl+Return)"));
    m_start->setDefault(true);
    m_stop = new QPushButton(tr("Stop job"), this);
    m_stop->setEnabled(false);
    m_demo = new QPushButton(tr("Run demo"), this);
    m_demo->setToolTip(tr("Initial_Model_Train 10 s, idle 5 s, Hyperparameter_Tuning 15 s, "
                          "idle 5 s"));
    m_demoProgress = new QLabel(this);
    m_demoProgress->setForegroundRole(QPalette::PlaceholderText);

    connect(m_start, &QPushButton::clicked, this, &ControlsPanel::startRequested);
    connect(m_stop, &QPushButton::clicked, this, &ControlsPanel::stopRequested);
    connect(m_demo, &QPushButton::clicked, this, &ControlsPanel::demoRequested);
    connect(m_name, &QLineEdit::returnPressed, this, &ControlsPanel::startRequested);
    connect(m_name, &QLineEdit::textEdited, this, [this] { m_startedSinceEdit = false; });

    // Window-wide shortcuts; the buttons' enabled state decides whether they act.
    for (const QKeySequence &key :
         {QKeySequence(Qt::CTRL | Qt::Key_Return), QKeySequence(Qt::CTRL | Qt::Key_Enter)}) {
        auto *shortcut = new QShortcut(key, this);
        shortcut->setContext(Qt::WindowShortcut);
        connect(shortcut, &QShortcut::activated, m_start, &QPushButton::click);
    }
    auto *stopShortcut = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_Period), this);
    stopShortcut->setContext(Qt::WindowShortcut);
    connect(stopShortcut, &QShortcut::activated, m_stop, &QPushButton::click);

    auto *nameLabel = new QLabel(tr("&Job"), this);
    nameLabel->setBuddy(m_name);
    auto *hostLabel = new QLabel(tr("&Host"), this);
    hostLabel->setBuddy(m_host);

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(nameLabel);
    layout->addWidget(m_name, 2);
    layout->addSpacing(6);
    layout->addWidget(hostLabel);
    layout->addWidget(m_host, 1);
    layout->addSpacing(6);
    layout->addWidget(m_start);
    layout->addWidget(m_stop);
    layout->addSpacing(12);
    layout->addWidget(m_demo);
    layout->addWidget(m_demoProgress);
    layout->addStretch(1);
    setStopEnabled(false);
}

QString ControlsPanel::jobName() const
{
    const QString name = m_name->text().trimmed();
    if (name.isEmpty() && m_startedSinceEdit) {
        return {};
    }
    return name.isEmpty() ? QStringLiteral("Interactive_Job") : name;
}

void ControlsPanel::markStarted(const QString &jobId)
{
    m_name->clear();
    m_name->setPlaceholderText(tr("Started %1 · type a name for the next job").arg(jobId));
    m_startedSinceEdit = true;
}

void ControlsPanel::setSilentHosts(const QHash<QString, double> &silentAges)
{
    QSet<QString> silent(silentAges.keyBegin(), silentAges.keyEnd());
    if (silent == m_greyed) {
        return;
    }
    for (int i = 0; i < m_host->count(); ++i) {
        const QString host = m_host->itemData(i).toString();
        if (host.isEmpty() || silent.contains(host) == m_greyed.contains(host)) {
            continue;
        }
        const bool isSilent = silent.contains(host);
        m_host->setItemData(
            i, isSilent ? QVariant(QPalette().brush(QPalette::PlaceholderText)) : QVariant(),
            Qt::ForegroundRole);
        m_host->setItemData(
            i,
            isSilent ? tr("%1 is silent: no sample for more than the bound").arg(host) : QVariant(),
            Qt::ToolTipRole);
    }
    m_greyed = silent;
}

QString ControlsPanel::hostChoice() const
{
    return m_host->currentData().toString();
}

void ControlsPanel::setHosts(const std::vector<core::HostSummary> &hosts)
{
    // Only ever adds: hosts seen so far stay selectable. Called with every snapshot (4 a second,
    // up to 10,000 hosts): a set lookup, not QComboBox::findData()'s linear scan of its model,
    // and the snapshot's own names, no list of them built first.
    for (const core::HostSummary &summary : hosts) {
        const QString &host = summary.host;
        if (!m_knownHosts.contains(host)) {
            m_knownHosts.insert(host);
            m_host->addItem(host, host);
        }
    }
}

void ControlsPanel::setStopEnabled(bool enabled, const QString &tooltip)
{
    m_stop->setEnabled(enabled);
    m_stop->setToolTip(enabled ? tr("End %1 (Ctrl+.)").arg(tooltip)
                               : tr("Select a running job in the table to stop it (Ctrl+.)"));
}

void ControlsPanel::setDemoRunning(bool running)
{
    m_demoRunning = running;
    m_demo->setText(running ? tr("Cancel demo") : tr("Run demo"));
}

void ControlsPanel::setDemoProgress(const QString &text)
{
    m_demoProgress->setText(text);
}

QString ControlsPanel::demoProgress() const
{
    return m_demoProgress->text();
}

} // namespace greenpulse::app
