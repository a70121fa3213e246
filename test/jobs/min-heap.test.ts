import { describe, expect, it } from 'vitest';
import { MinHeap } from '../../src/jobs/min-heap.js';
import { seededRandom } from '../random.js';

describe('MinHeap', () => {
  it('GIVEN 2,000 seeded pushes and pops THEN every pop is the least item left, as a sorted list says', () => {
    const random = seededRandom(7);
    const heap = new MinHeap<number>((a, b) => a < b);
    const reference: number[] = [];
    for (let step = 0; step < 2_000; step++) {
      if (random() < 0.6 || reference.length === 0) {
        const value = Math.floor(random() * 100);
        heap.push(value);
        reference.push(value);
        reference.sort((a, b) => a - b);
      } else {
        expect(heap.pop()).toBe(reference.shift());
      }
      expect(heap.size).toBe(reference.length);
      expect(heap.peek()).toBe(reference[0]);
    }
    while (reference.length > 0) expect(heap.pop()).toBe(reference.shift());
    expect(heap.pop()).toBeUndefined();
  });
});
