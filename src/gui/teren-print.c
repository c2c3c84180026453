/* teren-print.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n-lib.h>

#include "teren-gui.h"
#include "teren-official-documents.h"
#include "teren-print.h"
#include "teren-sar-document.h"

typedef struct {
  GtkWidget     *widget;     /* weak: only to find the window */
  TerenStore    *store;
  char          *document_kind;
  char          *argument;
  TerenDocument *document;
  char          *path;
  gboolean       to_pdf;
} PrintJob;

static void
print_job_free (PrintJob *job)
{
  g_clear_weak_pointer (&job->widget);
  g_clear_object (&job->store);
  g_clear_object (&job->document);
  g_free (job->document_kind);
  g_free (job->argument);
  g_free (job->path);
  g_free (job);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PrintJob, print_job_free)

static GtkWindow *
job_window (PrintJob *job)
{
  GtkRoot *root = job->widget != NULL ? gtk_widget_get_root (job->widget) : NULL;

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

static void
show_error (PrintJob   *job,
            const char *heading,
            const char *body)
{
  GtkWindow *window = job_window (job);
  GtkWidget *dialog;

  if (window == NULL)
    return;
  dialog = adw_message_dialog_new (window, heading, body);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- printing ------------------------------------------------------------------------ */

static void
begin_print_cb (GtkPrintOperation *operation,
                GtkPrintContext   *context,
                gpointer           user_data)
{
  TerenDocument *document = user_data;
  guint n_pages;

  n_pages = teren_document_paginate (document, gtk_print_context_get_cairo_context (context),
                                     gtk_print_context_get_width (context),
                                     gtk_print_context_get_height (context));
  gtk_print_operation_set_n_pages (operation, (int) n_pages);
}

static void
draw_page_cb (GtkPrintOperation *operation,
              GtkPrintContext   *context,
              int                page_nr,
              gpointer           user_data)
{
  TerenDocument *document = user_data;

  teren_document_draw_page (document, gtk_print_context_get_cairo_context (context), (guint) page_nr);
}

GtkPrintOperation *
teren_print_operation_new (TerenDocument *document)
{
  GtkPrintOperation *operation = gtk_print_operation_new ();
  g_autoptr(GtkPageSetup) setup = gtk_page_setup_new ();
  g_autoptr(GtkPaperSize) a4 = gtk_paper_size_new (GTK_PAPER_NAME_A4);

  g_return_val_if_fail (TEREN_IS_DOCUMENT (document), NULL);

  gtk_page_setup_set_paper_size (setup, a4);
  gtk_print_operation_set_default_page_setup (operation, setup);
  gtk_print_operation_set_unit (operation, GTK_UNIT_POINTS);
  /* the document has its own margins */
  gtk_print_operation_set_use_full_page (operation, TRUE);
  gtk_print_operation_set_job_name (operation, teren_document_get_title (document));
  g_signal_connect_data (operation, "begin-print", G_CALLBACK (begin_print_cb),
                         g_object_ref (document), (GClosureNotify) (void (*) (void)) g_object_unref, 0);
  g_signal_connect (operation, "draw-page", G_CALLBACK (draw_page_cb), document);
  return operation;
}

static void
print_done_cb (GtkPrintOperation       *operation,
               GtkPrintOperationResult  result,
               gpointer                 user_data)
{
  PrintJob *job = user_data;

  if (result == GTK_PRINT_OPERATION_RESULT_ERROR)
    {
      g_autoptr(GError) error = NULL;

      gtk_print_operation_get_error (operation, &error);
      show_error (job, _("The document was not printed"), error != NULL ? error->message : NULL);
    }
  /* the reference taken in run_print_operation: the operation lived until now */
  g_object_unref (operation);
}

static void
run_print_operation (PrintJob *job)
{
  GtkPrintOperation *operation = teren_print_operation_new (job->document);
  g_autoptr(GError) error = NULL;
  GtkPrintOperationResult result;

  gtk_print_operation_set_allow_async (operation, TRUE);
  g_signal_connect_data (operation, "done", G_CALLBACK (print_done_cb), job,
                         (GClosureNotify) (void (*) (void)) print_job_free, 0);

  result = gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG,
                                    job_window (job), &error);
  /* "done" reports errors and drops the operation */
  if (result == GTK_PRINT_OPERATION_RESULT_ERROR)
    g_debug ("The print operation failed to start");
}

/* ---- saving as PDF ------------------------------------------------------------------- */

static void
write_pdf_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  PrintJob *job = task_data;
  GError *error = NULL;

  if (teren_document_write_pdf (job->document, job->path, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
write_pdf_done_cb (GObject      *source_object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  PrintJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    show_error (job, _("The PDF file was not saved"), error->message);
}

static void
chooser_response_cb (GtkNativeDialog *chooser,
                     int              response,
                     gpointer         user_data)
{
  g_autoptr(PrintJob) job = user_data;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GTask) task = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_object_unref (chooser);
  if (file == NULL || g_file_peek_path (file) == NULL)
    return;

  job->path = g_file_get_path (file);
  task = g_task_new (NULL, NULL, write_pdf_done_cb, NULL);
  g_task_set_task_data (task, g_steal_pointer (&job), (GDestroyNotify) print_job_free);
  g_task_run_in_thread (task, write_pdf_thread);
}

static void
choose_pdf_file (PrintJob *job)
{
  GtkFileChooserNative *chooser;
  g_autofree char *name = g_strdup_printf ("%s.pdf", teren_document_get_title (job->document));

  g_strdelimit (name, "/\\:", '-');
  chooser = gtk_file_chooser_native_new (_("Save as PDF"), job_window (job), GTK_FILE_CHOOSER_ACTION_SAVE,
                                         _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_signal_connect (chooser, "response", G_CALLBACK (chooser_response_cb), job);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* ---- building ------------------------------------------------------------------------ */

static gpointer
build_func (TerenStore  *store,
            gpointer     data,
            GError     **error)
{
  PrintJob *job = data;

  if (g_strcmp0 (job->document_kind, TEREN_PRINT_SUBJECT_ACCESS) == 0)
    return teren_sar_document_build (store, job->argument, error);
  return teren_official_document_build (store, job->document_kind, job->argument, error);
}

static void
built_cb (GObject      *source_object,
          GAsyncResult *result,
          gpointer      user_data)
{
  PrintJob *job = user_data;
  g_autoptr(GError) error = NULL;

  job->document = teren_gui_store_call_finish (result, &error);
  if (job->document == NULL)
    {
      g_autofree char *message = teren_gui_error_message (error);

      show_error (job, _("The document cannot be made"), message);
      print_job_free (job);
      return;
    }
  if (job->to_pdf)
    choose_pdf_file (job);
  else
    run_print_operation (job);
}

void
teren_print_document (GtkWidget  *widget,
                      TerenStore *store,
                      const char *document_kind,
                      const char *argument,
                      gboolean    to_pdf)
{
  PrintJob *job;

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (TEREN_IS_STORE (store));
  g_return_if_fail (document_kind != NULL && argument != NULL);

  job = g_new0 (PrintJob, 1);
  g_set_weak_pointer (&job->widget, widget);
  job->store = g_object_ref (store);
  job->document_kind = g_strdup (document_kind);
  job->argument = g_strdup (argument);
  job->to_pdf = to_pdf;

  /* the job is owned by the callback chain, not by the store call */
  teren_gui_store_call_async (store, build_func, job, NULL, g_object_unref, NULL, built_cb, job);
}
