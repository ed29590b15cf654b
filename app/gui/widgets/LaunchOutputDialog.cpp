#include "widgets/LaunchOutputDialog.h"

#include "runtime/launchers/LaunchControl.h"
#include "runtime/launchers/OutputBuffer.h"

#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QLabel>
#include <QLocale>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QTimer>
#include <QVBoxLayout>

namespace greenpulse::app {

namespace {
constexpr int kRefreshMs = 200; // at most five redraws a second while the command writes
} // namespace

LaunchOutputDialog::LaunchOutputDialog(LaunchControl &launch, const QString &jobId, QWidget *parent)
    : QDialog(parent), m_launch(launch), m_jobId(jobId)
{
    setWindowTitle(tr("Output of %1").arg(jobId));
    setObjectName(QStringLiteral("launchOutputDialog"));
    m_text = new QPlainTextEdit(this);
    m_text->setReadOnly(true);
    m_text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_text->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_dropped = new QLabel(this);
    m_dropped->setForegroundRole(QPalette::PlaceholderText);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_dropped);
    layout->addWidget(m_text, 1);
    layout->addWidget(buttons);
    resize(820, 520);
    m_refresh = new QTimer(this);
    m_refresh->setSingleShot(true);
    m_refresh->setInterval(kRefreshMs);
    connect(m_refresh, &QTimer::timeout, this, &LaunchOutputDialog::refresh);
    connect(&m_launch, &LaunchControl::outputChanged, this, [this](const QString &id) {
        if (id == m_jobId && !m_refresh->isActive()) {
            m_refresh->start();
        }
    });
    refresh();
}

void LaunchOutputDialog::refresh()
{
    const OutputBuffer *buffer = m_launch.output(m_jobId);
    if (!buffer) {
        m_text->setPlainText(QString());
        m_dropped->setText(tr("No output kept for this job."));
        return;
    }
    QScrollBar *bar = m_text->verticalScrollBar();
    const bool atEnd = bar->value() == bar->maximum();
    m_text->setPlainText(QString::fromUtf8(buffer->text()));
    if (atEnd) {
        bar->setValue(bar->maximum());
    }
    const QLocale locale;
    m_dropped->setText(
        buffer->droppedBytes() == 0
            ? tr("%1 bytes").arg(locale.toString(buffer->totalBytes()))
            : tr("%1 bytes; the oldest %2 bytes were dropped (only the last %3 are kept)")
                  .arg(locale.toString(buffer->totalBytes()),
                       locale.toString(buffer->droppedBytes()),
                       locale.toString(static_cast<qint64>(buffer->capacity()))));
}

} // namespace greenpulse::app
