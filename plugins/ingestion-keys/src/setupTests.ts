import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// Extensions and pages load their components lazily; on a busy CI machine that takes longer than
// the one-second default of findBy*/waitFor (which still resolve as soon as the element appears).
// Tests get room for a few such waits.
configure({ asyncUtilTimeout: 10_000 });
jest.setTimeout(30_000);
