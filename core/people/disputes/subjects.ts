// The subjects a dispute can be about: a case, and a review's rating (core/people/reviews).
import { AppraiseError } from '../../diagnostics/diagnostic.ts';
import { didYouMean } from '../../util/did-you-mean.ts';
import { caseSubject } from './case-subject.ts';
import { reviewSubject } from '../reviews/dispute-subject.ts';
import { SUBJECT_TYPES, type DisputeSubject, type SubjectType } from './subject.ts';

const SUBJECTS: Partial<Record<SubjectType, DisputeSubject>> = { case: caseSubject, review: reviewSubject };

/** The subject type's implementation, or a coded error naming the types that can be disputed. */
export function subjectOf(type: string): DisputeSubject {
  const s = SUBJECTS[type as SubjectType];
  if (s) return s;
  const known = Object.keys(SUBJECTS);
  throw new AppraiseError('APPRAISE_DISPUTE_UNKNOWN_SUBJECT',
    (SUBJECT_TYPES as readonly string[]).includes(type)
      ? `Disputes about a ${type} are not available in this version. What can be disputed: ${known.join(', ')}.`
      : `\`${type}\` is not something that can be disputed.${didYouMean(type, known)} What can be disputed: ${known.join(', ')}.`,
    { field: 'subjectType', value: type, allowed: known });
}

export const disputableTypes = (): SubjectType[] => Object.keys(SUBJECTS) as SubjectType[];
