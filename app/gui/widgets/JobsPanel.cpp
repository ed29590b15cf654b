#include "widgets/JobsPanel.h"

#include "base/Logging.h"
#include "runtime/JobNames.h"
#include "widgets/JobsTableModel.h"

#include <QAction>
#include <QDateTime>
#include <QDir>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QScrollBar>
#include <QShortcut>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

namespace greenpulse::app {

JobsPanel::JobsPanel(QWidget *parent) : QWidget(parent)
{
    m_model = new JobsTableModel(this);
    m_proxy = new QSortFilterProxyModel(this);
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(JobsTableModel::SortRole);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_proxy->setFilterKeyColumn(-1);
    m_proxy->setDynamicSortFilter(true);

    auto *title = new QLabel(tr("Jobs"), this);
    QFont titleFont = title->font();
    titleFont.setBold(true);
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.1);
    title->setFont(titleFont);
    m_count = new QLabel(this);
    m_count->setForegroundRole(QPalette::PlaceholderText);

    m_filter = new QLineEdit(this);
    m_filter->setPlaceholderText(tr("Filter jobs or hosts…"));
    m_filter->setClearButtonEnabled(true);
    m_filter->setMaximumWidth(260);
    connect(m_filter, &QLineEdit::textChanged, m_proxy,
            &QSortFilterProxyModel::setFilterFixedString);
    connect(m_filter, &QLineEdit::textChanged, this, &JobsPanel::updateCount);
    // Escape in the filter (or anywhere in the table) clears it.
    auto *clearFilter = new QShortcut(QKeySequence(Qt::Key_Escape), this);
    clearFilter->setContext(Qt::WidgetWithChildrenShortcut);
    connect(clearFilter, &QShortcut::activated, m_filter, &QLineEdit::clear);
    connect(m_filter, &QLineEdit::textChanged, this, &JobsPanel::filterChanged);

    auto *exportButton = new QPushButton(tr("Export CSV…"), this);
    exportButton->setToolTip(tr("Save every job's totals as a CSV file"));
    connect(exportButton, &QPushButton::clicked, this, &JobsPanel::exportCsvInteractive);

    // A job's report: enabled while a job is selected; Ctrl+R where the window has no other use.
    m_reportAction = new QAction(tr("Job &report…"), this);
    m_reportAction->setObjectName(QStringLiteral("jobReportAction"));
    m_reportAction->setToolTip(tr("Save the selected job's report as PDF, PNG or CSV (Ctrl+R)"));
    m_reportAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
    m_reportAction->setEnabled(false);
    addAction(m_reportAction);
    auto *reportButton = new QPushButton(tr("Report…"), this);
    reportButton->setObjectName(QStringLiteral("jobReportButton"));
    reportButton->setToolTip(m_reportAction->toolTip());
    reportButton->setEnabled(false);
    connect(reportButton, &QPushButton::clicked, m_reportAction, &QAction::trigger);
    connect(m_reportAction, &QAction::enabledChanged, reportButton, &QPushButton::setEnabled);

    auto *top = new QHBoxLayout;
    top->addWidget(title);
    top->addWidget(m_count);
    top->addStretch();
    top->addWidget(m_filter);
    top->addWidget(reportButton);
    top->addWidget(exportButton);

    m_view = new QTableView(this);
    m_view->setModel(m_proxy);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(JobsTableModel::StartColumn, Qt::DescendingOrder);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setAlternatingRowColors(true);
    m_view->setWordWrap(false);
    m_view->setShowGrid(false);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 8);
    m_view->horizontalHeader()->setHighlightSections(false);
    m_view->horizontalHeader()->setStretchLastSection(false);
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_view->horizontalHeader()->setSectionResizeMode(JobsTableModel::JobColumn,
                                                     QHeaderView::Stretch);
    const int digit = m_view->fontMetrics().horizontalAdvance(QLatin1Char('0'));
    // one per column; Status fits "running, 2 silent"
    const int widths[] = {0, 14, 16, 11, 12, 9, 10, 12, 10, 10, 11, 10, 12, 13, 12};
    static_assert(std::size(widths) == JobsTableModel::ColumnCount);
    for (int c = JobsTableModel::HostsColumn; c < JobsTableModel::ColumnCount; ++c) {
        m_view->setColumnWidth(c, widths[c] * digit);
    }
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &JobsPanel::selectionChanged);
    connect(this, &JobsPanel::selectionChanged, this,
            [this] { m_reportAction->setEnabled(!selectedJobId().isEmpty()); });
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_view, &QWidget::customContextMenuRequested, this, &JobsPanel::showContextMenu);
    connect(m_model, &QAbstractItemModel::rowsInserted, this, &JobsPanel::updateCount);
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, &JobsPanel::updateCount);
    connect(m_model, &QAbstractItemModel::dataChanged, this, &JobsPanel::updateCount);
    // Embodied carbon only when configured, the user only when known (readable at 1280 px).
    const auto showEmbodied = [this] {
        m_view->setColumnHidden(JobsTableModel::EmbodiedColumn, !m_model->hasEmbodied());
        m_view->setColumnHidden(JobsTableModel::UserColumn, !m_model->hasUsers());
    };
    connect(m_model, &QAbstractItemModel::rowsInserted, this, showEmbodied);
    connect(m_model, &QAbstractItemModel::dataChanged, this, showEmbodied);
    connect(m_model, &QAbstractItemModel::modelReset, this, showEmbodied);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(top);
    layout->addWidget(m_view);
    updateCount();
    showEmbodied();
}

void JobsPanel::updateCount()
{
    const int running = static_cast<int>(m_model->runningJobs().size());
    const int idleRows = m_model->rowOf(idleJobName()) >= 0 ? 1 : 0;
    const int total = m_model->rowCount() - idleRows;
    if (m_filter->text().isEmpty()) {
        m_count->setText(tr("%1 running · %2 total").arg(running).arg(total));
        return;
    }
    int shown = 0;
    for (int row = 0; row < m_proxy->rowCount(); ++row) {
        shown += m_proxy->index(row, 0).data(JobsTableModel::JobIdRole).toString() == idleJobName()
                     ? 0
                     : 1;
    }
    m_count->setText(tr("%1 of %2 shown · %3 running").arg(shown).arg(total).arg(running));
}

void JobsPanel::showContextMenu(const QPoint &pos)
{
    const QModelIndex index = m_view->indexAt(pos);
    if (!index.isValid()) {
        return;
    }
    m_view->selectionModel()->select(index, QItemSelectionModel::ClearAndSelect |
                                                QItemSelectionModel::Rows);
    auto *menu = new QMenu(this);
    menu->setAttribute(Qt::WA_DeleteOnClose);
    menu->addAction(m_reportAction);
    menu->addAction(tr("Export CSV…"), this, &JobsPanel::exportCsvInteractive);
    menu->popup(m_view->viewport()->mapToGlobal(pos));
}

int JobsPanel::heightForRows(int rows) const
{
    const QScrollBar *scroll = m_view->horizontalScrollBar();
    return layout()->itemAt(0)->sizeHint().height() + layout()->spacing() + // title row
           m_view->horizontalHeader()->sizeHint().height() +
           rows * m_view->verticalHeader()->defaultSectionSize() + 2 * m_view->frameWidth() +
           (scroll->isVisible() ? scroll->sizeHint().height() : 0);
}

QString JobsPanel::countText() const
{
    return m_count->text();
}

QString JobsPanel::selectedJobId() const
{
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    if (rows.isEmpty()) {
        return {};
    }
    return rows.first().data(JobsTableModel::JobIdRole).toString();
}

QString JobsPanel::selectedRunningJobId() const
{
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    if (rows.isEmpty() || !rows.first().data(JobsTableModel::RunningRole).toBool()) {
        return {};
    }
    return rows.first().data(JobsTableModel::JobIdRole).toString();
}

void JobsPanel::selectJob(const QString &jobId)
{
    const int row = m_model->rowOf(jobId);
    if (row < 0) {
        return;
    }
    const QModelIndex index = m_proxy->mapFromSource(m_model->index(row, 0));
    m_view->selectionModel()->select(index, QItemSelectionModel::ClearAndSelect |
                                                QItemSelectionModel::Rows);
    m_view->scrollTo(index);
}

void JobsPanel::exportCsvInteractive()
{
    const QString suggested = QDir::home().filePath(
        QStringLiteral("greenpulse-jobs-%1.csv")
            .arg(QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmm"))));
    const QString path = QFileDialog::getSaveFileName(this, tr("Export jobs as CSV"), suggested,
                                                      tr("CSV files (*.csv);;All files (*)"));
    if (path.isEmpty()) {
        return;
    }
    QString error;
    if (!exportCsvTo(path, &error)) {
        QMessageBox::warning(this, tr("Export failed"),
                             tr("Could not write %1:\n%2").arg(path, error));
    }
}

bool JobsPanel::exportCsvTo(const QString &path, QString *error)
{
    if (!m_model->exportCsv(path, error)) {
        return false;
    }
    const int jobs = m_model->rowCount() - (m_model->rowOf(idleJobName()) >= 0 ? 1 : 0);
    qCInfo(lcApp) << "exported" << jobs << "jobs to" << path;
    emit exported(path, jobs);
    return true;
}

} // namespace greenpulse::app
