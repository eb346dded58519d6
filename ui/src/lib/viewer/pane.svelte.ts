// The zoom of one stage, reactive: the view (shared by linked panes) plus this stage's own sizes.
import {
  actualSize, FIT, panBy, pannable, place, zoomAt, type Placement, type Point, type Size, type ZoomState,
} from "./zoom";

/** One view several panes can share: zooming or panning one moves them all (compare). */
export class ZoomView {
  state = $state<ZoomState>({ ...FIT });
}

export class ZoomPane {
  /** The stage's size in pixels, as measured. */
  stage = $state<Size>({ w: 0, h: 0 });
  /** The picture's natural size: the subdef's announced size first, the decoded one once loaded. */
  content = $state<Size | null>(null);
  readonly view: ZoomView;

  constructor(view: ZoomView = new ZoomView()) {
    this.view = view;
  }

  get placement(): Placement {
    return place(this.view.state, this.content, this.stage);
  }

  get scale(): number {
    return this.placement.scale;
  }

  /** At fit (the whole picture shows): what a new record starts at. */
  get fitted(): boolean {
    return Math.abs(this.view.state.zoom - 1) < 1e-6;
  }

  get pannable(): boolean {
    return pannable(this.view.state, this.content, this.stage);
  }

  zoomBy(factor: number, at: Point | null = null) {
    this.view.state = zoomAt(this.view.state, factor, at, this.content, this.stage);
  }

  panBy(dx: number, dy: number) {
    this.view.state = panBy(this.view.state, dx, dy, this.content, this.stage);
  }

  fit() {
    this.view.state = { ...FIT };
  }

  actual() {
    this.view.state = actualSize(this.content, this.stage);
  }
}
