// App-wide reactive state: the backend's AppInfo (libraries, stats, models), which view is shown,
// the running jobs (scan worker and export) as the events report them, selection and open dialogs.

import {
  api,
  errorMessage,
  type AppInfo,
  type JobFinished,
  type JobKind,
  type JobProgress,
  type Problem,
} from './api';
import { NONE, type Selection } from './selection';

export type View = 'photos' | 'people' | 'duplicates';
export type JobUiState = 'idle' | 'running' | 'paused' | 'finished';

export class AppStore {
  state = $state.raw<AppInfo | null>(null);
  /** appState() failed (e.g. no backend). */
  loadError = $state<string | null>(null);
  view = $state<View>('photos');

  /** Live progress per job kind (the scan worker and an export can run at once). */
  progress = $state.raw<Record<JobKind, JobProgress | null>>({ scan: null, export: null });
  /** The last finished batch per kind. */
  finished = $state.raw<Record<JobKind, JobFinished | null>>({ scan: null, export: null });
  /** The kind that finished last (the status bar shows its summary). */
  lastFinished = $state<JobKind | null>(null);
  /** The user paused the scan worker (it resumes with startScan). */
  paused = $state(false);

  selection = $state.raw<Selection>(NONE);
  /** The photo open in the photo view: its id, and its index in the result when opened from it. */
  viewer = $state.raw<{ id: number; index: number | null } | null>(null);
  exportOpen = $state(false);
  settingsOpen = $state(false);
  /** The photo view draws object boxes (kept while the app runs). */
  showObjects = $state(false);
  /** The problems dialog: the list shown, or null when closed. */
  problems = $state.raw<Problem[] | null>(null);
  /** A person's detail is open in the people view. */
  personOpen = $state<number | null>(null);

  /** A short message shown for a few seconds: a command that failed, or a note about what was done. */
  toast = $state<string | null>(null);
  /** Whether the toast reports a failure or informs. */
  toastKind = $state<'error' | 'info'>('error');
  private toastTimer: ReturnType<typeof setTimeout> | undefined;

  get libraries() {
    return this.state?.libraries ?? [];
  }

  /** What the status bar shows for the scan worker. */
  get scanState(): JobUiState {
    if (this.paused) return 'paused';
    if (this.progress.scan) return 'running';
    if (this.finished.scan) return 'finished';
    return 'idle';
  }

  async refresh(): Promise<void> {
    try {
      const s = await api.appState();
      this.state = s;
      this.loadError = null;
      // A window opened while a job runs learns of it here.
      if (s.job && !this.progress[s.job.kind] && !(s.job.kind === 'scan' && this.paused)) {
        this.progress = { ...this.progress, [s.job.kind]: s.job };
      }
    } catch (e) {
      this.loadError = errorMessage(e);
    }
  }

  onProgress(p: JobProgress): void {
    if (p.kind === 'scan' && this.paused) return; // files in progress finishing after a pause
    this.progress = { ...this.progress, [p.kind]: p };
  }

  onFinished(f: JobFinished): void {
    this.progress = { ...this.progress, [f.kind]: null };
    this.finished = { ...this.finished, [f.kind]: f };
    this.lastFinished = f.kind;
  }

  dismissFinished(kind: JobKind): void {
    this.finished = { ...this.finished, [kind]: null };
  }

  async pauseScan(): Promise<void> {
    try {
      await api.cancelJob('scan');
      this.paused = true;
      this.progress = { ...this.progress, scan: null };
    } catch (e) {
      this.notify(errorMessage(e));
    }
  }

  async resumeScan(retryErrors = false): Promise<void> {
    try {
      this.paused = false;
      this.dismissFinished('scan');
      await api.startScan(retryErrors);
    } catch (e) {
      this.notify(errorMessage(e));
    }
  }

  /** Cancels an export; for the scan worker, cancelling is pausing (it stops until started again). */
  async cancelJob(kind: JobKind): Promise<void> {
    if (kind === 'scan') return this.pauseScan();
    try {
      await api.cancelJob('export');
    } catch (e) {
      this.notify(errorMessage(e));
    }
  }

  async showProblems(list?: Problem[]): Promise<void> {
    if (list) {
      this.problems = list;
      return;
    }
    try {
      this.problems = await api.problems();
    } catch (e) {
      this.notify(errorMessage(e));
    }
  }

  notify(message: string, kind: 'error' | 'info' = 'error'): void {
    this.toast = message;
    this.toastKind = kind;
    clearTimeout(this.toastTimer);
    this.toastTimer = setTimeout(() => (this.toast = null), 6000);
  }
}

export const app = new AppStore();
