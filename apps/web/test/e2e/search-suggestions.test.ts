import { describe, expect, it } from 'vitest';
import { seriousViolations } from './axe';
import { browserSuite, screenshot } from './harness';

const suite = browserSuite();

describe('search suggestions', () => {
  it('offers "Did you mean" from the user’s own words, and the link runs that search with the filters kept', async () => {
    const page = await suite.newPage();
    const api = await suite.signUpWithApi(page, 'speller');
    await api.chatlogs.create.mutate({
      source: 'claude',
      title: 'Reptiles',
      content: { messages: [{ role: 'user', content: 'Are python snakes venomous?' }, { role: 'assistant', content: 'No, pythons constrict their prey.' }] },
    });
    // Another account's words are never offered.
    const other = await suite.signUpWithApi(await suite.newPage(), 'neighbour');
    await other.chatlogs.create.mutate({ source: 'claude', title: 'Ops', content: { messages: [{ role: 'user', content: 'kubernetes pods' }] } });

    await page.goto('/search?q=pyhton+snakes&source=claude');
    const status = page.locator('.search-status');
    await expect.poll(() => status.textContent()).toBe('No results for “pyhton snakes”');
    const suggestion = page.locator('.search-suggestions');
    await expect.poll(() => suggestion.textContent()).toBe('Did you mean python snakes?');
    expect(await suggestion.locator('strong').allTextContents()).toEqual(['python']);
    await screenshot(page, 'search-did-you-mean');
    expect(await seriousViolations(page)).toEqual([]);

    await suggestion.getByRole('link', { name: 'python snakes' }).click();
    await page.waitForURL(/q=python(\+|%20)snakes/);
    expect(new URL(page.url()).searchParams.get('source')).toBe('claude');
    await expect.poll(() => status.textContent()).toBe('1 result for “python snakes”');
    expect(await page.locator('[data-search-result]').allTextContents()).toEqual(['Reptiles']);
    // The sidebar field shows the search that ran; a search that found what it looked for suggests nothing.
    expect(await page.locator('#app-search').inputValue()).toBe('python snakes');
    expect(await page.locator('.search-suggestions').count()).toBe(0);

    await page.goto('/search?q=kubernets');
    await expect.poll(() => status.textContent()).toBe('No results for “kubernets”');
    expect(await page.locator('.search-suggestions').count()).toBe(0);
  });
});
