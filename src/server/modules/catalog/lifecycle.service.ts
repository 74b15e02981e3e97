import { type DatasetDto, ReviewBody, type ReviewInput } from '../../../contracts/catalog.ts';
import { type Actor, authorize } from '../../platform/auth/actor.ts';
import type { AppContext } from '../../platform/context.ts';
import type { RequestMeta } from '../../platform/http/request-meta.ts';
import { assertValid } from '../../platform/validate.ts';
import { canEditDataset, canReviewDataset } from './catalog.policy.ts';
import { fieldsOfView } from './catalog.presenter.ts';
import { notifyDatasetChanged } from './dataset-events.ts';
import {
  assertFieldsValid,
  assertStatus,
  auditDataset,
  loadDatasetDto,
  lockForWrite,
  recordVersion,
  setStatus,
} from './dataset-write.ts';

// Draft → submitted → published → withdrawn. Stewards submit; the provider's department admins
// publish or send back with a note, and withdraw. Every step is a version and an audit entry.

/** A steward hands a draft (or a withdrawn resource) to the department admin for review. */
export async function submitDataset(ctx: AppContext, actor: Actor, id: string, meta?: RequestMeta) {
  await ctx.db.transaction().execute(async (trx) => {
    const view = await lockForWrite(trx, id);
    authorize(actor, (a) => canEditDataset(a, view.department_path));
    assertStatus(view, ['draft', 'withdrawn'], 'submit');
    // Rules may have tightened since the draft was saved: check again before review.
    await assertFieldsValid(trx, fieldsOfView(view));
    await setStatus(trx, id, { status: 'submitted', review_note: null });
    await recordVersion(trx, actor, id, 'submitted');
    await auditDataset(trx, actor, meta, view, 'catalog.dataset.submit');
  });
  return (await loadDatasetDto(ctx.db, { id })) as DatasetDto;
}

/** The department admin publishes a submitted resource or sends it back to draft with a note. */
export async function reviewDataset(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: ReviewInput,
  meta?: RequestMeta,
): Promise<DatasetDto> {
  assertValid(ReviewBody, input);
  await ctx.db.transaction().execute(async (trx) => {
    const view = await lockForWrite(trx, id);
    authorize(actor, (a) => canReviewDataset(a, view.department_path));
    assertStatus(view, ['submitted'], 'review');
    const note = input.note?.trim() || null;
    if (input.decision === 'publish') {
      // The transaction's clock, as recordVersion uses for modified_at: first published never after modified.
      await setStatus(trx, id, {
        status: 'published',
        review_note: note,
        firstPublication: !view.published_at,
      });
      await recordVersion(trx, actor, id, 'published', note);
    } else {
      await setStatus(trx, id, { status: 'draft', review_note: note });
      await recordVersion(trx, actor, id, 'rejected', note);
    }
    await auditDataset(trx, actor, meta, view, `catalog.dataset.${input.decision}`, { note });
  });
  return (await loadDatasetDto(ctx.db, { id })) as DatasetDto;
}

/** The department admin takes a published resource off the catalog, saying why. */
export async function withdrawDataset(
  ctx: AppContext,
  actor: Actor,
  id: string,
  reason: string,
  meta?: RequestMeta,
): Promise<DatasetDto> {
  await ctx.db.transaction().execute(async (trx) => {
    const view = await lockForWrite(trx, id);
    authorize(actor, (a) => canReviewDataset(a, view.department_path));
    assertStatus(view, ['published', 'submitted'], 'withdraw');
    await setStatus(trx, id, { status: 'withdrawn', review_note: reason });
    await recordVersion(trx, actor, id, 'withdrawn', reason);
    await auditDataset(trx, actor, meta, view, 'catalog.dataset.withdraw', { reason });
  });
  await notifyDatasetChanged(ctx, id);
  return (await loadDatasetDto(ctx.db, { id })) as DatasetDto;
}
